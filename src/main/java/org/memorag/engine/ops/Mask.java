package org.memorag.engine.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Which keys each query may see, per block of queries x keys, so attention can skip hidden blocks
 * and build a mask only for partly visible ones. Key indices count over all segments in order;
 * query indices count the rows of this call.
 */
public interface Mask {
    /**
     * Additive value for hidden entries (finite: fully hidden rows then average, as HF's
     * finfo.min).
     */
    float HIDDEN = -1e30f;

    enum Visibility { NONE, ALL, PARTIAL }

    Visibility classify(int q0, int q1, int k0, int k1);

    /**
     * Keys {@code [lo, hi)} outside which queries {@code [q0, q1)} see nothing, as {@code {lo,
     * hi}}: attention computes scores only inside (a causal chunk stops at its last row's key).
     */
    default int[] keyRange(int q0, int q1) {
        return new int[] {0, Integer.MAX_VALUE};
    }

    /** Float32 {@code [q1 - q0, k1 - k0]}: 0 where visible, {@link #HIDDEN} where not. */
    NDArray block(NDManager m, int q0, int q1, int k0, int k1);

    /**
     * This mask as a rule a native kernel applies itself ({@link Mask#causal} and {@link
     * Mask#none}); empty for masks given as data.
     */
    default Optional<Rule> rule() {
        return Optional.empty();
    }

    /**
     * Causal: query row i sits at key index {@code queryOffset + i} and sees key k iff
     * {@code k <= queryOffset + i} and, with {@code window > 0}, {@code k > queryOffset + i -
     * window}. Not causal: every query sees every key.
     */
    record Rule(boolean causal, int queryOffset, int window) {}

    /**
     * Causal attention where query row {@code i} is the token at key index {@code queryOffset + i}
     * and sees key {@code k} iff {@code k <= p} and, with a window W, {@code k > p - W} (the
     * transformers sliding-window rule: W keys including itself).
     */
    static Mask causal(int queryOffset, OptionalInt window) {
        return new Mask() {
            @Override
            public Visibility classify(int q0, int q1, int k0, int k1) {
                int pMin = queryOffset + q0;
                int pMax = queryOffset + q1 - 1;
                if (k0 > pMax || (window.isPresent() && k1 - 1 <= pMin - window.getAsInt())) {
                    return Visibility.NONE;
                }
                boolean causalOk = k1 - 1 <= pMin;
                boolean windowOk = window.isEmpty() || k0 > pMax - window.getAsInt();
                return causalOk && windowOk ? Visibility.ALL : Visibility.PARTIAL;
            }

            @Override
            public int[] keyRange(int q0, int q1) {
                int lo = window.isPresent()
                        ? Math.max(0, queryOffset + q0 - window.getAsInt() + 1) : 0;
                return new int[] {lo, queryOffset + q1};
            }

            @Override
            public NDArray block(NDManager m, int q0, int q1, int k0, int k1) {
                NDArray p = m.arange(queryOffset + q0, queryOffset + q1, 1, DataType.INT32)
                        .reshape(q1 - q0, 1);
                NDArray k = m.arange(k0, k1, 1, DataType.INT32).reshape(1, k1 - k0);
                NDArray hidden = k.gt(p);
                if (window.isPresent()) {
                    hidden = hidden.logicalOr(p.sub(k).gte(window.getAsInt()));
                }
                return hidden.toType(DataType.FLOAT32, false).mul(HIDDEN);
            }

            @Override
            public Optional<Rule> rule() {
                if (window.isPresent() && window.getAsInt() <= 0) {
                    return Optional.empty();   // hides everything: left to the general path
                }
                return Optional.of(new Rule(true, queryOffset, window.orElse(0)));
            }
        };
    }

    /** Every key visible to every query (e.g. a prefix that precedes all queries). */
    static Mask none() {
        return new Mask() {
            @Override
            public Visibility classify(int q0, int q1, int k0, int k1) {
                return Visibility.ALL;
            }

            @Override
            public NDArray block(NDManager m, int q0, int q1, int k0, int k1) {
                return m.zeros(new ai.djl.ndarray.types.Shape(q1 - q0, k1 - k0));
            }

            @Override
            public Optional<Rule> rule() {
                return Optional.of(new Rule(false, 0, 0));
            }
        };
    }

    /** An explicit additive float32 mask {@code [queries, keys]} (the caller owns it). */
    static Mask explicit(NDArray additive) {
        return new Mask() {
            @Override
            public Visibility classify(int q0, int q1, int k0, int k1) {
                return Visibility.PARTIAL;
            }

            @Override
            public NDArray block(NDManager m, int q0, int q1, int k0, int k1) {
                return additive.get(m, new ai.djl.ndarray.index.NDIndex(
                        "{}:{}, {}:{}", q0, q1, k0, k1)).toType(DataType.FLOAT32, false);
            }
        };
    }
}
