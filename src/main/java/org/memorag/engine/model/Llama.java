package org.memorag.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import org.memorag.engine.ops.RmsNorm;
import org.memorag.engine.ops.Rope;
import org.memorag.engine.tensor.Device;

/**
 * Llama and Mistral (transformers modeling_llama.py / modeling_mistral.py): the Qwen2 layout
 * without q/k/v biases (unless config.json sets attention_bias, which also biases o_proj).
 * Mistral's sliding_window applies to every layer ({@link DecoderConfig#window}).
 */
public final class Llama implements Decoder {
    /** Weights of decoder layer i; names follow "model.layers.{i}.*". Biases null when absent. */
    public record Layer(NDArray inputLayernorm,          // [hidden]
                        NDArray qProj, NDArray qBias,    // [hidden, heads*D] (transposed)
                        NDArray kProj, NDArray kBias,    // [hidden, kvHeads*D]
                        NDArray vProj, NDArray vBias,    // [hidden, kvHeads*D]
                        NDArray oProj, NDArray oBias,    // [heads*D, hidden]
                        NDArray postAttentionLayernorm,  // [hidden]
                        NDArray gateProj, NDArray upProj, // [hidden, intermediate]
                        NDArray downProj,
                        // q|k|v and gate|up joined; the fields above are views of these
                        FusedProjections fused) {}             // [intermediate, hidden]

    private final DecoderConfig config;
    private final NDManager manager;
    private final Device device;
    private final Rope rope;
    private final NDArray embedTokens;   // model.embed_tokens.weight [vocab, hidden]
    private final List<Layer> layers;
    private final NDArray norm;          // model.norm.weight [hidden]
    private final NDArray lmHead;        // lm_head.weight transposed [hidden, vocab] (or tied)

    private Llama(DecoderConfig config, NDManager manager, Device device, NDArray embedTokens,
            List<Layer> layers, NDArray norm, NDArray lmHead) {
        this.config = config;
        this.manager = manager;
        this.device = device;
        this.rope = new Rope(config.headDim(), config.ropeTheta(), config.ropeScaling());
        this.embedTokens = embedTokens;
        this.layers = layers;
        this.norm = norm;
        this.lmHead = lmHead;
    }

    /**
     * Loads this architecture's weights from {@code ckpt} onto {@code device}; fails on a missing
     * or mis-shaped tensor. Tensors it does not use are the caller's to check
     * ({@link Checkpoint#checkAllUsed}), so engine.beacon can load its extra weights first.
     */
    public static Llama load(Checkpoint ckpt, DecoderConfig c, Device device) {
        NDManager m = NDManager.newBaseManager(device.djl(), "PyTorch");
        try {
            LayerWeights w = new LayerWeights(ckpt, m, device.dataType());
            boolean bias = c.attentionBias();
            long hidden = c.hiddenSize();
            long q = (long) c.numAttentionHeads() * c.headDim();
            String hiddenWhy = "hidden_size=" + hidden;
            String qWhy = "num_attention_heads=" + c.numAttentionHeads() + " x head_dim="
                    + c.headDim();
            String interWhy = "intermediate_size=" + c.intermediateSize();
            NDArray embed = w.matrix("model.embed_tokens.weight", c.vocabSize(),
                    "vocab_size=" + c.vocabSize(), hidden, hiddenWhy);
            List<Layer> layers = new ArrayList<>();
            for (int i = 0; i < c.numHiddenLayers(); i++) {
                String p = "model.layers." + i + ".";
                String a = p + "self_attn.";
                NDArray norm1 = w.vector(p + "input_layernorm.weight", hidden, hiddenWhy);
                FusedProjections f = w.fusedProjections(p, c, bias);
                NDArray[] wv = f.qkvViews(f.qkv());
                NDArray[] bv = f.qkvViews(f.qkvBias());
                layers.add(new Layer(norm1, wv[0], bv[0], wv[1], bv[1], wv[2], bv[2],
                        w.linearT(a + "o_proj.weight", hidden, hiddenWhy, q, qWhy),
                        bias ? w.vector(a + "o_proj.bias", hidden, hiddenWhy) : null,
                        w.vector(p + "post_attention_layernorm.weight", hidden, hiddenWhy),
                        f.columns(f.gateUp(), 0, c.intermediateSize()),
                        f.columns(f.gateUp(), c.intermediateSize(), 2L * c.intermediateSize()),
                        w.linearT(p + "mlp.down_proj.weight", hidden, hiddenWhy,
                                c.intermediateSize(), interWhy),
                        f));
            }
            NDArray norm = w.vector("model.norm.weight", hidden, hiddenWhy);
            NDArray lmHead = c.tieWordEmbeddings() ? LayerWeights.contiguousTranspose(embed)
                    : w.linearT("lm_head.weight", c.vocabSize(), "vocab_size=" + c.vocabSize(),
                            hidden, hiddenWhy);
            m.cap();
            return new Llama(c, m, device, embed, layers, norm, lmHead);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** Read-only access to layer {@code i}'s weights (for engine.beacon, which adds its own). */
    public Layer weights(int i) {
        return layers.get(i);
    }

    @Override
    public NDArray layer(int i, NDArray x, AttentionStep attention) {
        Layer w = layers.get(i);
        NDArray h = RmsNorm.apply(x, w.inputLayernorm(), config.rmsNormEps());
        x = x.add(selfAttention(i, w, h, attention));
        h = RmsNorm.apply(x, w.postAttentionLayernorm(), config.rmsNormEps());
        return x.add(w.fused().mlp(h, w.downProj()));
    }

    private NDArray selfAttention(int i, Layer w, NDArray h, AttentionStep attention) {
        long n = h.getShape().get(0);
        int d = config.headDim();
        int heads = config.numAttentionHeads();
        NDArray[] qkv = w.fused().project(h);
        NDArray q = qkv[0].reshape(n, heads, d);
        int kvHeads = config.numKeyValueHeads();
        NDArray k = qkv[1].reshape(n, kvHeads, d);
        NDArray v = qkv[2].reshape(n, kvHeads, d);
        return biased(attention.attend(i, q, k, v).matMul(w.oProj()), w.oBias());
    }

    private static NDArray biased(NDArray x, NDArray bias) {
        return bias == null ? x : x.add(bias);
    }

    @Override
    public NDArray embed(NDManager scope, int[] ids) {
        return Qwen2.embedRows(scope, embedTokens, ids, config.vocabSize());
    }

    @Override
    public NDArray logits(NDArray hidden) {
        NDArray out = RmsNorm.apply(hidden, norm, config.rmsNormEps()).matMul(lmHead);
        return out.getDataType() == DataType.FLOAT32 ? out : out.toType(DataType.FLOAT32, false);
    }

    @Override
    public DecoderConfig config() {
        return config;
    }

    @Override
    public Rope rope() {
        return rope;
    }

    @Override
    public DataType dtype() {
        return device.dataType();
    }

    @Override
    public ai.djl.Device device() {
        return device.djl();
    }

    @Override
    public void close() {
        manager.close();
    }
}
