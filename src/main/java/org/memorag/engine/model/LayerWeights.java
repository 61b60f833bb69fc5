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
}
