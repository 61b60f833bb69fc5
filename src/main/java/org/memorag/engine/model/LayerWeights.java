package org.memorag.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Loads weights through {@link Checkpoint#tensor} in the layout our matmuls want: linear weights
 * stored [out, in] by Hugging Face are transposed once here into contiguous [in, out] memory (a
 * transposed view makes single-row decode matmuls several times slower), so every forward call is
 * {@code activations.matMul(weightT)}.
 */
final class LayerWeights {
    private final Checkpoint ckpt;
    private final NDManager manager;
    private final DataType dtype;

    LayerWeights(Checkpoint ckpt, NDManager manager, DataType dtype) {
        this.ckpt = ckpt;
        this.manager = manager;
        this.dtype = dtype;
    }

    /** A linear weight [out, in] returned as [in, out]. */
    NDArray linearT(String name, long out, String outWhy, long in, String inWhy) {
        return transposed(ckpt.tensor(manager, dtype, name, outWhy + " x " + inWhy, out, in));
    }

    /** A contiguous copy of {@code w}'s transpose; {@code w} itself is kept (it may be shared). */
    static NDArray contiguousTranspose(NDArray w) {
        NDArray view = w.transpose();
        NDArray flat = view.flatten();       // flatten of a non-contiguous view copies
        NDArray t = flat.reshape(w.getShape().get(1), w.getShape().get(0));
        view.close();
        flat.close();
        return t;
    }

    private static NDArray transposed(NDArray w) {
        NDArray t = contiguousTranspose(w);
        w.close();
        return t;
    }

    NDArray vector(String name, long n, String why) {
        return ckpt.tensor(manager, dtype, name, why, n);
    }

    NDArray matrix(String name, long rows, String rowsWhy, long cols, String colsWhy) {
        return ckpt.tensor(manager, dtype, name, rowsWhy + " x " + colsWhy, rows, cols);
    }

    /**
     * Layer {@code p}'s ("model.layers.{i}.") q/k/v projections (with biases when {@code bias})
     * and gate/up projections, loaded transposed and joined ({@link FusedProjections}).
     */
    FusedProjections fusedProjections(String p, DecoderConfig c, boolean bias) {
        long hidden = c.hiddenSize();
        long q = (long) c.numAttentionHeads() * c.headDim();
        long kv = (long) c.numKeyValueHeads() * c.headDim();
        String hiddenWhy = "hidden_size=" + hidden;
        String qWhy = "num_attention_heads=" + c.numAttentionHeads() + " x head_dim=" + c.headDim();
        String kvWhy = "num_key_value_heads=" + c.numKeyValueHeads() + " x head_dim="
                + c.headDim();
        String interWhy = "intermediate_size=" + c.intermediateSize();
        String a = p + "self_attn.";
        return FusedProjections.join(
                linearT(a + "q_proj.weight", q, qWhy, hidden, hiddenWhy),
                linearT(a + "k_proj.weight", kv, kvWhy, hidden, hiddenWhy),
                linearT(a + "v_proj.weight", kv, kvWhy, hidden, hiddenWhy),
                bias ? vector(a + "q_proj.bias", q, qWhy) : null,
                bias ? vector(a + "k_proj.bias", kv, kvWhy) : null,
                bias ? vector(a + "v_proj.bias", kv, kvWhy) : null,
                linearT(p + "mlp.gate_proj.weight", c.intermediateSize(), interWhy, hidden,
                        hiddenWhy),
                linearT(p + "mlp.up_proj.weight", c.intermediateSize(), interWhy, hidden,
                        hiddenWhy));
    }
}
