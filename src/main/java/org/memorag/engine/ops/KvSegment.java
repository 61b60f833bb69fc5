package org.memorag.engine.ops;

import ai.djl.ndarray.NDArray;

/**
 * A run of cached keys and values of one layer: {@code keys, values [kvHeads, length, headDim]}.
 * Attention takes a list of segments so a shared memory prefix and a request's own tokens (or a
 * beacon memory's sink, beacons and open window) are attended to without concatenating them.
 */
public record KvSegment(NDArray keys, NDArray values) {
    public KvSegment {
        if (!keys.getShape().equals(values.getShape()) || keys.getShape().dimension() != 3) {
            throw new IllegalArgumentException("kv segment: keys " + keys.getShape()
                    + " and values " + values.getShape()
                    + " must both be [kvHeads, length, headDim]");
        }
    }

    public int length() {
        return (int) keys.getShape().get(1);
    }
}
