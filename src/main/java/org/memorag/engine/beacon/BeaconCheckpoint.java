package org.memorag.engine.beacon;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.memorag.engine.model.Checkpoint;
import org.memorag.engine.model.CheckpointException;
import org.memorag.engine.model.Decoder;
import org.memorag.engine.model.DecoderConfig;
import org.memorag.engine.model.Decoders;
import org.memorag.engine.model.Llama;
import org.memorag.engine.model.Qwen2;
import org.memorag.engine.tensor.Device;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads an activation-beacon memory checkpoint (memorag-qwen2-7b-inst, memorag-mistral-7b-inst,
 * or a tiny test one): recognised by the beacon keys of its config.json, never by its folder
 * name. Beacon tensors (§2.2) are loaded first, then the plain decoder takes the rest, then every
 * tensor of the checkpoint must have been used (an unexpected one is an error).
 */
public final class BeaconCheckpoint {
    private static final Logger log = LoggerFactory.getLogger(BeaconCheckpoint.class);

    private BeaconCheckpoint() {}

    /** True when {@code dir}'s config.json describes a beacon memory checkpoint. */
    public static boolean isBeacon(JsonObject configJson) {
        return BeaconConfig.isBeaconConfig(configJson);
    }

    /**
     * Loads weights and beacon settings; {@code ratioOverride} (may be null) replaces
     * {@code beacon_ratio} as upstream's {@code beacon_ratio=[value]} does (0 = no compression).
     */
    public static BeaconDecoder load(Path dir, Device device, Integer ratioOverride) {
        try (Checkpoint ckpt = Checkpoint.open(dir)) {
            String src = ckpt.configFile().toString();
            JsonObject json = ckpt.config();
            if (!isBeacon(json)) {
                throw new BeaconConfigException(src, "beacon_*", "config.json has no beacon keys:"
                        + " this is not an activation-beacon memory checkpoint; use it as a plain"
                        + " decoder (memory mode longllm)");
            }
            BeaconConfig bc = BeaconConfig.fromJson(json, src);
            if (ratioOverride != null) {
                try {
                    bc = bc.withRatio(ratioOverride);
                } catch (BeaconConfigException e) {
                    throw e.from("--beacon-ratio " + ratioOverride);
                }
            }
            bc.requireSupported(src);
            // [I] BEACON_SPEC §2.1: the memory checkpoints use no RoPE scaling; the beacon
            // positions and the adapt-N capacity (P = max_position_embeddings) assume none.
            if (json.has("rope_scaling") && !json.get("rope_scaling").isJsonNull()) {
                throw new BeaconConfigException(src, "rope_scaling", "a beacon checkpoint with"
                        + " rope_scaling " + json.get("rope_scaling") + " is not supported: the"
                        + " memory checkpoints were expected to have none (BEACON_SPEC §2.1)");
            }
            log.info("beacon checkpoint dir={} window={} pos={} attn={} ratio={} param={}",
                    dir.getFileName(), bc.window(), bc.pos().key(), bc.attn().key(), bc.ratios(),
                    bc.toMetadata().get("beacon_param"));
            DecoderConfig dc = DecoderConfig.fromJson(ckpt.configFile(), json);
            NDManager m = NDManager.newBaseManager(device.djl(), "PyTorch");
            Decoder plain = null;
            try {
                DataType dt = device.dataType();
                long hidden = dc.hiddenSize();
                NDArray embed = required(ckpt, m, dt, "model.beacon_embed_tokens.weight",
                        "one beacon embedding row x hidden_size=" + hidden, 1, hidden);
                List<BeaconTensors> beacon = new ArrayList<>();
                for (int i = 0; i < dc.numHiddenLayers(); i++) {
                    beacon.add(layerTensors(ckpt, m, dt, dc, bc.param(), i));
                }
                checkNoStrayBeaconTensors(ckpt, dc, bc.param());
                if (!dc.modelType().equals("qwen2") && !dc.modelType().equals("mistral")
                        && !dc.modelType().equals("llama")) {
                    throw new CheckpointException(ckpt.configFile(), "model_type '"
                            + dc.modelType() + "' has no beacon variant here; supported: qwen2,"
                            + " mistral, llama");
                }
                plain = Decoders.loadDecoder(ckpt, device);
                DecoderConfig pc = plain.config();
                ckpt.checkAllUsed(n -> Decoders.ignorable(pc, n));
                List<BeaconLayer> layers = new ArrayList<>();
                for (int i = 0; i < dc.numHiddenLayers(); i++) {
                    layers.add(merge(plain, i, beacon.get(i)));
                }
                m.cap();
                return new BeaconDecoder(plain, m, bc, layers, embed, ckpt.fingerprint());
            } catch (RuntimeException e) {
                if (plain != null) {
                    plain.close();
                }
                m.close();
                throw e;
            }
        }
    }

    /** Beacon projections of one layer ({@code null} for letters outside beacon_param). */
    private record BeaconTensors(NDArray q, NDArray qb, NDArray k, NDArray kb, NDArray v,
            NDArray vb, NDArray o) {}

    private static BeaconTensors layerTensors(Checkpoint ckpt, NDManager m, DataType dt,
            DecoderConfig c, Set<BeaconProjection> param, int i) {
        long hidden = c.hiddenSize();
        long q = (long) c.numAttentionHeads() * c.headDim();
        long kv = (long) c.numKeyValueHeads() * c.headDim();
        NDArray[] w = new NDArray[7];
        for (BeaconProjection p : param) {
            long out = p == BeaconProjection.Q ? q : p == BeaconProjection.O ? hidden : kv;
            long in = p == BeaconProjection.O ? q : hidden;
            String why = "beacon_param lists '" + p.letter() + "'; shaped like " + p.letter()
                    + "_proj";
            NDArray weight = required(ckpt, m, dt, p.weightName(i), why, out, in).transpose();
            NDArray bias = null;
            String ordinaryBias = "model.layers." + i + ".self_attn." + p.letter() + "_proj.bias";
            if (p != BeaconProjection.O && (ckpt.has(ordinaryBias) || ckpt.has(p.biasName(i)))) {
                bias = required(ckpt, m, dt, p.biasName(i), why + " (with bias, as "
                        + ordinaryBias + ")", out);
            }
            switch (p) {
                case Q -> { w[0] = weight; w[1] = bias; }
                case K -> { w[2] = weight; w[3] = bias; }
                case V -> { w[4] = weight; w[5] = bias; }
                case O -> w[6] = weight;
                default -> throw new IllegalStateException(p.toString());
            }
        }
        return new BeaconTensors(w[0], w[1], w[2], w[3], w[4], w[5], w[6]);
    }

    private static NDArray required(Checkpoint ckpt, NDManager m, DataType dt, String name,
            String why, long... shape) {
        if (!ckpt.has(name)) {
            throw new CheckpointException(ckpt.fileOf("model.embed_tokens.weight"), "missing"
                    + " beacon tensor '" + name + "' (" + why + "). A memory checkpoint must ship"
                    + " its trained beacon weights; upstream would silently copy the ordinary"
                    + " weights, which is not a trained memory. Check beacon_param in config.json"
                    + " and model.safetensors.index.json");
        }
        return ckpt.tensor(m, dt, name, why, shape);
    }

    /**
     * [I] BEACON_SPEC §2.2 infers beacon_param = [q, k, v] for the memory checkpoints: a beacon
     * projection stored for a letter config.json does not list means the two disagree; fail.
     */
    private static void checkNoStrayBeaconTensors(Checkpoint ckpt, DecoderConfig c,
            Set<BeaconProjection> param) {
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            for (BeaconProjection p : BeaconProjection.values()) {
                if (!param.contains(p) && (ckpt.has(p.weightName(i)) || ckpt.has(p.biasName(i)))) {
                    throw new BeaconConfigException(ckpt.configFile().toString(), "beacon_param",
                            "the checkpoint stores '" + p.weightName(i) + "' but beacon_param "
                            + "does not list '" + p.letter() + "'; config.json and weights"
                            + " disagree (add the letter or use the matching config)");
                }
            }
        }
    }

    private static BeaconLayer merge(Decoder plain, int i, BeaconTensors b) {
        if (plain instanceof Qwen2 q) {
            Qwen2.Layer w = q.weights(i);
            return new BeaconLayer(w.inputLayernorm(), w.qProj(), w.qBias(), w.kProj(), w.kBias(),
                    w.vProj(), w.vBias(), w.oProj(), null, b.q(), b.qb(), b.k(), b.kb(), b.v(),
                    b.vb(), b.o(), w.postAttentionLayernorm(), w.gateProj(), w.upProj(),
                    w.downProj());
        }
        Llama.Layer w = ((Llama) plain).weights(i);
        return new BeaconLayer(w.inputLayernorm(), w.qProj(), w.qBias(), w.kProj(), w.kBias(),
                w.vProj(), w.vBias(), w.oProj(), w.oBias(), b.q(), b.qb(), b.k(), b.kb(), b.v(),
                b.vb(), b.o(), w.postAttentionLayernorm(), w.gateProj(), w.upProj(),
                w.downProj());
    }
}
