package org.memorag.engine.model;

import ai.djl.ndarray.NDArray;

/**
 * What a decoder layer delegates after its q/k/v projections: positions, RoPE, caching and the
 * mask. {@link KvCache#step} is the plain implementation (rotate at contiguous positions, append
 * rotated K/V, causal mask with the layer's sliding window); a beacon memory supplies its own
 * (pre-RoPE cache, re-rotated prefix, its own mask, BEACON_SPEC.md §2.8-2.9) and reuses the
 * layers unchanged.
 */
@FunctionalInterface
public interface AttentionStep {
    /**
     * {@code q [n, heads, headDim]}, {@code k, v [n, kvHeads, headDim]}: projections of this
     * step's rows before RoPE (biases included). Returns the attention output {@code [n, heads *
     * headDim]} (before o_proj), owned by q's manager.
     */
    NDArray attend(int layer, NDArray q, NDArray k, NDArray v);
}
