package org.memorag.engine.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** The gated MLP of Llama/Qwen2/Mistral: {@code down(silu(gate(x)) * up(x))}, no biases. */
public final class SwiGlu {
    private SwiGlu() {}

    /**
     * {@code x [n, hidden]}; weights pre-transposed at load: {@code gateT, upT [hidden, inter]},
     * {@code downT [inter, hidden]}. Activations come first so results join x's manager.
     */
    public static NDArray apply(NDArray x, NDArray gateT, NDArray upT, NDArray downT) {
        NDArray g = x.matMul(gateT);
        NDArray silu = g.mul(Activation.sigmoid(g));
        return silu.mul(x.matMul(upT)).matMul(downT);
    }
}
