package org.memorag.engine.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Loads weights through {@link Checkpoint#tensor} in the layout our matmuls want: linear weights
 * stored [out, in] by Hugging Face are transposed once here (a PyTorch view; BLAS reads it
 * transposed), so every forward call is {@code activations.matMul(weightT)}.
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
        return ckpt.tensor(manager, dtype, name, outWhy + " x " + inWhy, out, in).transpose();
    }

    NDArray vector(String name, long n, String why) {
        return ckpt.tensor(manager, dtype, name, why, n);
    }

    NDArray matrix(String name, long rows, String rowsWhy, long cols, String colsWhy) {
        return ckpt.tensor(manager, dtype, name, rowsWhy + " x " + colsWhy, rows, cols);
    }
}
