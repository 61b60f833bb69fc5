package org.memorag.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.memorag.engine.ops.Rope;

/**
 * The weights of a decoder-only transformer and its per-layer forward, with no state of its own:
 * callers pass hidden states and an {@link AttentionStep} and own every result. Implementations:
 * {@link Qwen2}, {@link Llama} (Llama and Mistral). Read-only after loading, so thread-safe.
 */
public interface Decoder extends AutoCloseable {
    DecoderConfig config();

    /** RoPE tables for this model's head dim and rope_theta. */
    Rope rope();

    /** Compute dtype of weights and activations (float32 on CPU). */
    DataType dtype();

    ai.djl.Device device();

    /** Embeddings {@code [ids.length, hidden]} owned by {@code scope}. */
    NDArray embed(NDManager scope, int[] ids);

    /** Decoder layer {@code i} over {@code x [n, hidden]}; returns the new hidden states. */
    NDArray layer(int i, NDArray x, AttentionStep attention);

    /** Final norm and lm_head: {@code [n, hidden] -> [n, vocab]} in float32. */
    NDArray logits(NDArray hidden);

    @Override
    void close();
}
