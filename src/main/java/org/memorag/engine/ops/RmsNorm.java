package org.memorag.engine.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** RMSNorm as in modeling_qwen2.py / modeling_llama.py: in float32, cast back, times the weight. */
public final class RmsNorm {
    private RmsNorm() {}

    /** {@code x [..., hidden]}, {@code weight [hidden]}; the result joins x's manager. */
    public static NDArray apply(NDArray x, NDArray weight, double eps) {
        DataType in = x.getDataType();
        NDArray xf = in == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false);
        NDArray inv = xf.square().mean(new int[] {-1}, true).add((float) eps).sqrt();
        NDArray y = xf.div(inv);
        if (in != DataType.FLOAT32) {
            y = y.toType(in, false);
        }
        return y.mul(weight);
    }
}
