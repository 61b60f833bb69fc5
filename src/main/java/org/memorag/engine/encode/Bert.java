package org.memorag.engine.encode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.LayerNorm;
import java.util.ArrayList;
import java.util.List;
import org.memorag.engine.model.Checkpoint;
import org.memorag.engine.tensor.Device;

/**
 * BERT and XLM-RoBERTa encoders on DJL's PyTorch engine, read top to bottom like transformers'
 * modeling_bert.py / modeling_xlm_roberta.py (BertModel / XLMRobertaModel without the pooler).
 * The two differ only where marked "XLM-R": position ids start at padding_idx + 1, and there is
 * one token type. Weights are transposed once at load so every forward is activations.matMul(w).
 * Thread-safe once loaded: weights are read-only, each call has its own NDManager scope.
 */
public final class Bert implements AutoCloseable {
    /** Attention query rows per block: a long XLM-R input never builds a T x T score matrix. */
    static final int QUERY_CHUNK = 512;

    /** Weights of encoder layer i; names follow "encoder.layer.{i}.*", linear weights [in, out]. */
    record Layer(NDArray query, NDArray queryBias, NDArray key, NDArray keyBias,
                 NDArray value, NDArray valueBias,                 // attention.self.*
                 NDArray attnOut, NDArray attnOutBias,             // attention.output.dense
                 NDArray attnNorm, NDArray attnNormBias,           // attention.output.LayerNorm
                 NDArray intermediate, NDArray intermediateBias,   // intermediate.dense
                 NDArray output, NDArray outputBias,               // output.dense
                 NDArray outNorm, NDArray outNormBias) {}          // output.LayerNorm

    private final BertConfig config;
    private final NDManager manager;
    private final Device device;
    private final NDArray wordEmbeddings;       // embeddings.word_embeddings.weight [vocab, hidden]
    private final NDArray positionEmbeddings;   // embeddings.position_embeddings.weight [pos, h]
    private final NDArray tokenType0;           // embeddings.token_type_embeddings.weight[0] [h]
    private final NDArray embNorm;
    private final NDArray embNormBias;          // embeddings.LayerNorm.{weight,bias}
    private final List<Layer> layers;

    private Bert(BertConfig config, NDManager manager, Device device, NDArray word, NDArray pos,
            NDArray type0, NDArray embNorm, NDArray embNormBias, List<Layer> layers) {
        this.config = config;
        this.manager = manager;
        this.device = device;
        this.wordEmbeddings = word;
        this.positionEmbeddings = pos;
        this.tokenType0 = type0;
        this.embNorm = embNorm;
        this.embNormBias = embNormBias;
        this.layers = layers;
    }

    /** Loads every weight of {@code ckpt}; a missing, extra or mis-shaped tensor is named. */
    public static Bert load(Checkpoint ckpt, BertConfig c, Device device) {
        NDManager m = NDManager.newBaseManager(device.djl(), "PyTorch");
        try {
            DataType dt = device.dataType();
            // BertModel saves "embeddings.*"; BertForMaskedLM & co. prefix "bert." / "roberta."
            String p = ckpt.has("bert.embeddings.word_embeddings.weight") ? "bert."
                    : ckpt.has("roberta.embeddings.word_embeddings.weight") ? "roberta." : "";
            long h = c.hiddenSize();
            long inter = c.intermediateSize();
            String hw = "hidden_size=" + h;
            String iw = "intermediate_size=" + inter;
            NDArray word = ckpt.tensor(m, dt, p + "embeddings.word_embeddings.weight",
                    "vocab_size=" + c.vocabSize() + " x " + hw, c.vocabSize(), h);
            NDArray pos = ckpt.tensor(m, dt, p + "embeddings.position_embeddings.weight",
                    "max_position_embeddings=" + c.maxPositionEmbeddings() + " x " + hw,
                    c.maxPositionEmbeddings(), h);
            NDArray types = ckpt.tensor(m, dt, p + "embeddings.token_type_embeddings.weight",
                    "type_vocab_size=" + c.typeVocabSize() + " x " + hw, c.typeVocabSize(), h);
            NDArray type0 = types.get(0);  // we encode single segments: token_type_ids are all 0
            types.close();
            NDArray embNorm = ckpt.tensor(m, dt, p + "embeddings.LayerNorm.weight", hw, h);
            NDArray embNormBias = ckpt.tensor(m, dt, p + "embeddings.LayerNorm.bias", hw, h);
            List<Layer> layers = new ArrayList<>();
            for (int i = 0; i < c.numHiddenLayers(); i++) {
                String l = p + "encoder.layer." + i + ".";
                layers.add(new Layer(
                        linearT(ckpt, m, dt, l + "attention.self.query.weight", h, h, hw, hw),
                        ckpt.tensor(m, dt, l + "attention.self.query.bias", hw, h),
                        linearT(ckpt, m, dt, l + "attention.self.key.weight", h, h, hw, hw),
                        ckpt.tensor(m, dt, l + "attention.self.key.bias", hw, h),
                        linearT(ckpt, m, dt, l + "attention.self.value.weight", h, h, hw, hw),
                        ckpt.tensor(m, dt, l + "attention.self.value.bias", hw, h),
                        linearT(ckpt, m, dt, l + "attention.output.dense.weight", h, h, hw, hw),
                        ckpt.tensor(m, dt, l + "attention.output.dense.bias", hw, h),
                        ckpt.tensor(m, dt, l + "attention.output.LayerNorm.weight", hw, h),
                        ckpt.tensor(m, dt, l + "attention.output.LayerNorm.bias", hw, h),
                        linearT(ckpt, m, dt, l + "intermediate.dense.weight", inter, h, iw, hw),
                        ckpt.tensor(m, dt, l + "intermediate.dense.bias", iw, inter),
                        linearT(ckpt, m, dt, l + "output.dense.weight", h, inter, hw, iw),
                        ckpt.tensor(m, dt, l + "output.dense.bias", hw, h),
                        ckpt.tensor(m, dt, l + "output.LayerNorm.weight", hw, h),
                        ckpt.tensor(m, dt, l + "output.LayerNorm.bias", hw, h)));
            }
            // not used for embeddings: the pooler (BGE pools [CLS] itself), masked-LM heads,
            // and the position_ids buffer older exporters saved
            String q = p;
            ckpt.checkAllUsed(n -> n.startsWith(q + "pooler.") || n.startsWith("cls.")
                    || n.startsWith("lm_head.") || n.endsWith("embeddings.position_ids")
                    || n.endsWith("embeddings.token_type_ids"));
            m.cap();
            return new Bert(c, m, device, word, pos, type0, embNorm, embNormBias, layers);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** A linear weight stored [out, in], returned as a contiguous [in, out] copy. */
    private static NDArray linearT(Checkpoint ckpt, NDManager m, DataType dt, String name,
            long out, long in, String outWhy, String inWhy) {
        NDArray w = ckpt.tensor(m, dt, name, outWhy + " x " + inWhy, out, in);
        NDArray view = w.transpose();
        NDArray flat = view.flatten();  // flatten of a transposed view copies into [in, out] order
        NDArray t = flat.reshape(in, out);
        view.close();
        flat.close();
        w.close();
        return t;
    }

    public BertConfig config() {
        return config;
    }

    /** A scope for one call's temporaries, on the model's device. */
    public NDManager newScope() {
        return manager.newSubManager();
    }

    /**
     * Last hidden states of a batch of unpadded id rows, padded to the longest; returns
     * [batch, longest, hidden] float32 in {@code scope} (padded positions hold garbage).
     */
    public NDArray forward(NDManager scope, long[][] rows) {
        return forward(scope, rows, QUERY_CHUNK);
    }

    /** As {@link #forward(NDManager, long[][])} with {@code queryChunk} query rows per block. */
    NDArray forward(NDManager scope, long[][] rows, int queryChunk) {
        int b = rows.length;
        int t = 0;
        for (long[] r : rows) {
            t = Math.max(t, r.length);
        }
        if (t > config.maxTokens()) {
            throw new IllegalArgumentException(t + " tokens exceed the model's "
                    + config.maxTokens() + " positions (max_position_embeddings="
                    + config.maxPositionEmbeddings() + ")");
        }
        long[] ids = new long[b * t];
        long[] pos = new long[b * t];
        float[] bias = new float[b * t];
        float masked = device.dataType() == DataType.FLOAT16 ? -65504f : -Float.MAX_VALUE;
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) {
                boolean real = j < rows[i].length;
                long id = real ? rows[i][j] : config.padTokenId();
                if (id < 0 || id >= config.vocabSize()) {
                    throw new IllegalArgumentException("token id " + id + " (text row " + i
                            + ", position " + j + ") is outside vocab_size " + config.vocabSize()
                            + ": is tokenizer.json from the same model?");
                }
                ids[i * t + j] = id;
                // XLM-R: positions padding_idx+1, padding_idx+2, ...; pads sit at padding_idx
                pos[i * t + j] = config.robertaPositions()
                        ? (real ? config.padTokenId() + 1 + j : config.padTokenId()) : j;
                bias[i * t + j] = real ? 0f : masked;  // HF: (1 - mask) * finfo(dtype).min
            }
        }
        NDArray x = wordEmbeddings.get(scope, new NDIndex("{}", onDevice(scope, ids)))
                .add(positionEmbeddings.get(scope, new NDIndex("{}", onDevice(scope, pos))))
                .add(tokenType0);
        x = layerNorm(x, embNorm, embNormBias).reshape(b, t, config.hiddenSize());
        NDArray maskBias = scope.create(bias, new Shape(b, 1, 1, t)).toDevice(device.djl(), false)
                .toType(device.dataType(), false);
        for (Layer w : layers) {
            x = layer(w, x, maskBias, queryChunk);
        }
        return x.toType(DataType.FLOAT32, false);
    }

    private NDArray onDevice(NDManager scope, long[] values) {
        return scope.create(values).toDevice(device.djl(), false);
    }

    private NDArray layer(Layer w, NDArray x, NDArray maskBias, int queryChunk) {
        NDArray a = selfAttention(w, x, maskBias, queryChunk).matMul(w.attnOut())
                .add(w.attnOutBias());
        x = layerNorm(x.add(a), w.attnNorm(), w.attnNormBias());
        NDArray h = Activation.gelu(x.matMul(w.intermediate()).add(w.intermediateBias()));
        return layerNorm(x.add(h.matMul(w.output()).add(w.outputBias())), w.outNorm(),
                w.outNormBias());
    }

    /** Bidirectional multi-head attention; padded keys are hidden by {@code maskBias}. */
    private NDArray selfAttention(Layer w, NDArray x, NDArray maskBias, int queryChunk) {
        long b = x.getShape().get(0);
        long t = x.getShape().get(1);
        int heads = config.numAttentionHeads();
        int d = config.headDim();
        NDArray q = heads(x.matMul(w.query()).add(w.queryBias()), b, t, heads, d)
                .mul(1.0 / Math.sqrt(d));
        NDArray kT = heads(x.matMul(w.key()).add(w.keyBias()), b, t, heads, d)
                .transpose(0, 1, 3, 2);                                       // [b, H, d, t]
        NDArray v = heads(x.matMul(w.value()).add(w.valueBias()), b, t, heads, d);
        NDList blocks = new NDList();
        for (long c0 = 0; c0 < t; c0 += queryChunk) {
            long c1 = Math.min(t, c0 + queryChunk);
            NDArray qc = t <= queryChunk ? q : q.get(new NDIndex(":, :, {}:{}", c0, c1));
            NDArray probs = qc.matMul(kT).add(maskBias).softmax(-1);       // [b, H, c, t]
            blocks.add(probs.matMul(v));                                   // [b, H, c, d]
        }
        NDArray ctx = blocks.size() == 1 ? blocks.get(0) : NDArrays.concat(blocks, 2);
        return ctx.transpose(0, 2, 1, 3).reshape(b, t, config.hiddenSize());
    }

    private static NDArray heads(NDArray x, long b, long t, int heads, int d) {
        return x.reshape(b, t, heads, d).transpose(0, 2, 1, 3);              // [b, H, t, d]
    }

    private NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta) {
        return LayerNorm.layerNorm(x, new Shape(config.hiddenSize()), gamma, beta,
                (float) config.layerNormEps()).singletonOrThrow();
    }

    @Override
    public void close() {
        manager.close();
    }
}
