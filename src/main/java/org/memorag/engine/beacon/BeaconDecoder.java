package org.memorag.engine.beacon;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import org.memorag.engine.generate.GenerationConfig;
import org.memorag.engine.generate.TokenLoop;
import org.memorag.engine.model.Decoder;
import org.memorag.engine.model.DecoderConfig;
import org.memorag.engine.ops.Attention;
import org.memorag.engine.ops.KvSegment;
import org.memorag.engine.ops.Mask;
import org.memorag.engine.ops.RmsNorm;
import org.memorag.engine.ops.Rope;
import org.memorag.engine.ops.SwiGlu;

/**
 * An activation-beacon memory model (BEACON_SPEC §2): a plain Qwen2 / Mistral decoder plus beacon
 * weights, run window by window. Each {@link StepPlan} of a {@link BeaconStream} becomes one
 * forward pass over {@code memory ++ open window ++ step} with the beacon embedding and q/k/v/o
 * routing for beacon rows (§2.2), contiguous positions and a causal mask (full-coverage, §2.8,
 * §2.9); after a window closes only its beacons' K/V stay (§2.10). Weights are read-only:
 * thread-safe; each stream's tensors live in its {@link BeaconKv}. Load with
 * {@link BeaconCheckpoint#load}.
 */
public final class BeaconDecoder implements AutoCloseable {
    private final Decoder plain;
    private final NDManager manager;
    private final BeaconConfig config;
    private final List<BeaconLayer> layers;
    private final NDArray beaconEmbed;   // model.beacon_embed_tokens.weight [1, hidden]
    private final String fingerprint;

    BeaconDecoder(Decoder plain, NDManager manager, BeaconConfig config, List<BeaconLayer> layers,
            NDArray beaconEmbed, String fingerprint) {
        this.plain = plain;
        this.manager = manager;
        this.config = config;
        this.layers = List.copyOf(layers);
        this.beaconEmbed = beaconEmbed;
        this.fingerprint = fingerprint;
    }

    public BeaconConfig config() {
        return config;
    }

    public DecoderConfig decoderConfig() {
        return plain.config();
    }

    /** The plain decoder on the same weights (its forward ignores every beacon tensor). */
    public Decoder plain() {
        return plain;
    }

    /** config.json + tensor names/shapes digest of the checkpoint. */
    public String fingerprint() {
        return fingerprint;
    }

    /** Bytes of one memory slot over all layers in the compute dtype (§3.3). */
    public long slotBytes() {
        DecoderConfig c = plain.config();
        return BeaconMath.slotBytes(c.numHiddenLayers(), c.numKeyValueHeads(), c.headDim(),
                plain.dtype().getNumOfBytes());
    }

    /**
     * Ratio schedule for one document with {@code stream config}; position limit from
     * max_position_embeddings (no rope scaling is accepted, so the factor is 1).
     */
    public RatioSchedule schedule(BeaconConfig streamConfig, long seed) {
        return new RatioSchedule(streamConfig, plain.config().maxPositionEmbeddings(), seed);
    }

    /** Empty tensors for a stream of this model. */
    public BeaconKv newKv(BeaconConfig streamConfig) {
        DecoderConfig c = plain.config();
        int minRatio = Integer.MAX_VALUE;
        for (int r : streamConfig.allowedRatios()) {
            minRatio = Math.min(minRatio, r == 0 ? Integer.MAX_VALUE : r);
        }
        int open = streamConfig.window() + (minRatio == Integer.MAX_VALUE ? 0
                : streamConfig.window() / minRatio);
        return BeaconKv.create(plain.device(), c.numHiddenLayers(), c.numKeyValueHeads(),
                c.headDim(), plain.dtype(), open);
    }

    /** Reads {@code ids} into a new memory streamed with {@code streamConfig} (§1.4 step 2). */
    public BeaconMemory memorize(int[] ids, BeaconConfig streamConfig, RatioChoice choice,
            long seed) {
        BeaconKv kv = newKv(streamConfig);
        try {
            BeaconStream s = new BeaconStream(streamConfig, schedule(streamConfig, seed));
            feed(kv, s, ids, Rows.NONE);
            return new BeaconMemory(kv, s, streamConfig, choice, seed, fingerprint,
                    plain.config(), plain.dtype());
        } catch (RuntimeException e) {
            kv.close();
            throw e;
        }
    }

    /** Reads a memory written by {@link BeaconMemory#writeTo} (an in-memory file). */
    public BeaconMemory readMemory(byte[] file) throws java.io.IOException {
        return BeaconMemory.read(new java.io.ByteArrayInputStream(file), this);
    }

    /** What one generation did: new ids, optional prompt logits, timings. */
    public record Generation(int[] ids, float[][] promptLogits, int prefillTokens,
            long prefillNanos, int decodeTokens, long decodeNanos) {}

    /**
     * Continues {@code memory} (null: a fresh stream) with {@code prompt} and decodes (§2.12): the
     * prompt continues the memory's open window, beacons keep being inserted every r tokens and
     * windows keep closing while it is read and while the answer is generated. The memory itself
     * is unchanged (the run happens on a fork). The repetition penalty sees the prompt and the
     * output, as upstream's {@code generate(input_ids=question)} does.
     */
    public Generation generate(BeaconMemory memory, int[] prompt, GenerationConfig gen,
            Set<Integer> eosIds, Function<int[], String> decode, boolean allLogits) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("generate needs at least one prompt token");
        }
        BeaconConfig sc = memory == null ? config : memory.config();
        try (BeaconKv kv = memory == null ? newKv(sc) : memory.kv().fork()) {
            BeaconStream s = memory == null ? new BeaconStream(sc, schedule(sc, 0))
                    : memory.stream().copy();
            long t0 = System.nanoTime();
            float[][] pl = feed(kv, s, prompt, allLogits ? Rows.ALL : Rows.LAST);
            long t1 = System.nanoTime();
            int[] out = TokenLoop.generate(pl[pl.length - 1],
                    id -> feed(kv, s, new int[] {id}, Rows.LAST)[0], prompt, gen, eosIds, decode);
            long t2 = System.nanoTime();
            return new Generation(out, allLogits ? pl : null, prompt.length, t1 - t0, out.length,
                    t2 - t1);
        }
    }

    /** Which logits {@link #feed} computes: none (memorize), the last raw token's, or all. */
    public enum Rows { NONE, LAST, ALL }

    /**
     * Streams {@code ids} into {@code kv}/{@code stream}, running every step they complete, and
     * returns float32 logits of raw tokens: one row per id ({@link Rows#ALL}), only the last id's
     * ({@link Rows#LAST}) or none; beacon rows are never returned (§2.12). On an exception the
     * stream and its tensors are inconsistent: discard them.
     */
    public float[][] feed(BeaconKv kv, BeaconStream stream, int[] ids, Rows rows) {
        if (ids.length == 0) {
            return new float[0][];
        }
        boolean allLogits = rows == Rows.ALL;
        int start = stream.received();
        stream.append(ids.length);
        float[][] out = new float[allLogits ? ids.length : rows == Rows.LAST ? 1 : 0][];
        while (stream.hasPending()) {
            StepPlan p = stream.nextStep();
            int from = p.rawStart() - start;
            int[] stepIds = Arrays.copyOfRange(ids, from, from + p.rawCount());
            boolean last = rows == Rows.LAST && !stream.hasPending();
            float[][] logits = runStep(kv, p, stepIds, allLogits, last);
            if (allLogits) {
                System.arraycopy(logits, 0, out, from, logits.length);
            } else if (last) {
                out[0] = logits[0];
            }
        }
        return out;
    }

    /** Index bookkeeping of a step with beacons: raw rows, beacon rows, and the merge order. */
    private record Split(NDArray rawRows, NDArray beaconRows, NDArray order) {}

    private float[][] runStep(BeaconKv kv, StepPlan p, int[] stepIds, boolean allRows,
            boolean lastRow) {
        if (p.memorySlots() != kv.memorySlots() || p.openSlots() != kv.openSlots()) {
            throw new IllegalStateException("beacon step " + p + " expects " + p.memorySlots()
                    + " memory + " + p.openSlots() + " open slots but the tensors hold "
                    + kv.memorySlots() + " + " + kv.openSlots());
        }
        DecoderConfig c = plain.config();
        int t = p.stepSlots();
        int n = p.rawCount();
        int nb = t - n;
        try (NDManager scope = kv.manager().newSubManager()) {
            NDArray x = plain.embed(scope, stepIds);                  // [n, hidden]
            Split split = null;
            if (nb > 0) {
                long[] raw = new long[n];
                long[] beacons = new long[nb];
                long[] order = new long[t];
                for (int i = 0, r = 0, b = 0; i < t; i++) {
                    if (p.isBeacon(i)) {
                        beacons[b] = i;
                        order[i] = n + b++;
                    } else {
                        raw[r] = i;
                        order[i] = r++;
                    }
                }
                split = new Split(index(scope, raw), index(scope, beacons), index(scope, order));
                // beacon id = vocab_size -> row 0 of beacon_embed_tokens (§2.2)
                NDArray b = scope.zeros(new Shape(nb, c.hiddenSize()), plain.dtype())
                        .add(beaconEmbed);
                x = x.concat(b, 0).get(scope, new NDIndex("{}", split.order()));
            }
            int[] positions = p.positions();
            Rope rope = plain.rope();
            Mask mask = Mask.causal(p.prefixSlots(), OptionalInt.empty());   // no sliding window
            for (int l = 0; l < layers.size(); l++) {
                BeaconLayer w = layers.get(l);
                NDArray h = RmsNorm.apply(x, w.inputLayernorm(), c.rmsNormEps());
                NDArray q = project(scope, h, w.qProj(), w.qBias(), w.beaconQProj(),
                        w.beaconQBias(), split).reshape(t, c.numAttentionHeads(), c.headDim());
                NDArray k = project(scope, h, w.kProj(), w.kBias(), w.beaconKProj(),
                        w.beaconKBias(), split).reshape(t, c.numKeyValueHeads(), c.headDim());
                NDArray v = project(scope, h, w.vProj(), w.vBias(), w.beaconVProj(),
                        w.beaconVBias(), split).reshape(t, c.numKeyValueHeads(), c.headDim());
                NDArray qr = rope.apply(q, positions);
                NDArray kr = rope.apply(k, positions);
                List<KvSegment> segs = new ArrayList<>(kv.memorySegments(scope, l));
                segs.add(kv.appendOpen(scope, l, k.transpose(1, 0, 2), kr.transpose(1, 0, 2),
                        v.transpose(1, 0, 2)));
                NDArray att = Attention.attend(qr, segs, mask);
                x = x.add(project(scope, att, w.oProj(), w.oBias(), w.beaconOProj(), null, split));
                h = RmsNorm.apply(x, w.postAttentionLayernorm(), c.rmsNormEps());
                x = x.add(SwiGlu.apply(h, w.gateProj(), w.upProj(), w.downProj()));
            }
            kv.advanceOpen(t);
            float[][] logits = logits(scope, x, p, allRows, lastRow);
            if (p.closesWindow()) {
                compact(scope, kv, p);
            }
            return logits;
        }
    }

    /** Keeps the window's beacons (or every slot, ratio 0) rotated at compacted positions. */
    private void compact(NDManager scope, BeaconKv kv, StepPlan p) {
        int kept = p.keep().length;
        if (kept > 0) {
            long[] keep = new long[kept];
            for (int i = 0; i < kept; i++) {
                keep[i] = p.keep()[i];
            }
            NDArray idx = index(scope, keep);
            int[] positions = Rope.range(kv.memorySlots(), kept);
            for (int l = 0; l < layers.size(); l++) {
                NDArray pre = kv.openKeysPre(scope, l).transpose(1, 0, 2)
                        .get(scope, new NDIndex("{}", idx));                // [kept, Hkv, D]
                NDArray rot = plain.rope().apply(pre, positions).transpose(1, 0, 2);
                NDArray v = kv.openValues(scope, l).transpose(1, 0, 2)
                        .get(scope, new NDIndex("{}", idx)).transpose(1, 0, 2);
                kv.appendMemory(l, rot, v);
            }
        }
        kv.closeWindow(kept);
    }

    private float[][] logits(NDManager scope, NDArray x, StepPlan p, boolean allRows,
            boolean lastRow) {
        int vocab = plain.config().vocabSize();
        int[] raw = p.rawRows();
        if (allRows) {
            long[] rows = new long[raw.length];
            for (int i = 0; i < raw.length; i++) {
                rows[i] = raw[i];
            }
            float[] flat = plain.logits(x.get(scope, new NDIndex("{}", index(scope, rows))))
                    .toFloatArray();
            float[][] out = new float[raw.length][];
            for (int i = 0; i < raw.length; i++) {
                out[i] = Arrays.copyOfRange(flat, i * vocab, (i + 1) * vocab);
            }
            return out;
        }
        if (lastRow) {
            int r = raw[raw.length - 1];       // the last raw token, not a beacon after it
            return new float[][] {plain.logits(x.get(scope, new NDIndex("{}:{}", r, r + 1)))
                    .toFloatArray()};
        }
        return new float[0][];                 // memorize: no lm_head at all (Q9)
    }

    /**
     * {@code h [t, in] · W + b}; in a step with beacons, beacon rows use the beacon projection
     * when the checkpoint has one for this letter (§2.2 routing).
     */
    private static NDArray project(NDManager scope, NDArray h, NDArray w, NDArray b,
            NDArray beaconW, NDArray beaconB, Split split) {
        if (split == null || beaconW == null) {
            return biased(h.matMul(w), b);
        }
        NDArray raw = biased(h.get(scope, new NDIndex("{}", split.rawRows())).matMul(w), b);
        NDArray bea = biased(h.get(scope, new NDIndex("{}", split.beaconRows())).matMul(beaconW),
                beaconB);
        return raw.concat(bea, 0).get(scope, new NDIndex("{}", split.order()));
    }

    private static NDArray biased(NDArray y, NDArray bias) {
        return bias == null ? y : y.add(bias);
    }

    private NDArray index(NDManager scope, long[] values) {
        return scope.create(values).toDevice(plain.device(), false);
    }

    @Override
    public void close() {
        plain.close();
        manager.close();
    }
}
