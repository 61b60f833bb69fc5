package org.memorag.engine.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/**
 * A run of cached keys and values of one layer: {@code keys, values [kvHeads, length, headDim]}.
 * Attention takes a list of segments so a shared memory prefix and a request's own tokens (or a
 * beacon memory's sink, beacons and open window) are attended to without concatenating them.
 *
 * @param slots where the rows sit in a cache's own buffers, so a native kernel reads them in
 *     place; null when keys and values are arrays of their own
 */
public record KvSegment(NDArray keys, NDArray values, Slots slots) {
    public KvSegment {
        if (!keys.getShape().equals(values.getShape()) || keys.getShape().dimension() != 3) {
            throw new IllegalArgumentException("kv segment: keys " + keys.getShape()
                    + " and values " + values.getShape()
                    + " must both be [kvHeads, length, headDim]");
        }
    }

    public KvSegment(NDArray keys, NDArray values) {
        this(keys, values, null);
    }

    /**
     * Slots {@code [from, from + length)} of contiguous cache buffers {@code [kvHeads, capacity,
     * headDim]} (the keys and values of the segment are views of them).
     */
    public record Slots(NDArray keyBuffer, NDArray valueBuffer, int from) {}

    /**
     * The segment of slots {@code [from, to)} of a cache's contiguous key and value buffers
     * {@code [kvHeads, capacity, headDim]}: views owned by {@code scope}, plus where they sit.
     */
    public static KvSegment ofSlots(NDManager scope, NDArray keyBuffer, NDArray valueBuffer,
            int from, int to) {
        NDIndex slots = new NDIndex(":, {}:{}, :", from, to);
        return new KvSegment(keyBuffer.get(scope, slots), valueBuffer.get(scope, slots),
                new Slots(keyBuffer, valueBuffer, from));
    }

    public int length() {
        return (int) keys.getShape().get(1);
    }
}
