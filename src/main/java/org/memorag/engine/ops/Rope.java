package org.memorag.engine.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding in the Hugging Face "rotate half" layout: {@code inv_freq[i] =
 * theta^(-2i/D)}, {@code angle = pos * inv_freq} in float32, cos/sin of {@code concat(angle,
 * angle)}, {@code x' = x*cos + rotate_half(x)*sin} with {@code rotate_half([a, b]) = [-b, a]}.
 * Positions are explicit per row, so callers may use any layout (BEACON_SPEC.md §2.9).
 */
public final class Rope {
    private final int headDim;
    private final float[] invFreq;

    public Rope(int headDim, double theta) {
        this(headDim, theta, null);
    }

    /** With {@code scaling} (null = none) applied to the inverse frequencies. */
    public Rope(int headDim, double theta, RopeScaling scaling) {
        this.headDim = headDim;
        this.invFreq = new float[headDim / 2];
        for (int i = 0; i < invFreq.length; i++) {
            // HF: 1.0 / (base ** (arange(0, dim, 2).float() / dim)), computed in float32
            float exponent = (float) (2 * i) / headDim;
            double f = (float) (1.0 / Math.pow(theta, exponent));
            invFreq[i] = (float) (scaling == null ? f : scaling.apply(f));
        }
    }

    public int headDim() {
        return headDim;
    }

    /** Contiguous positions {@code start .. start + n - 1}. */
    public static int[] range(int start, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = start + i;
        }
        return p;
    }

    /** cos and sin {@code [n, 1, headDim]} for a set of positions, in the activations' dtype. */
    public record Table(NDArray cos, NDArray sin, int rows) {}

    /**
     * Rotates {@code x [n, heads, headDim]} at {@code positions[n]}; the result joins x's manager.
     */
    public NDArray apply(NDArray x, int[] positions) {
        return apply(x, table(x.getManager(), positions, x.getDataType(), x.getDevice()));
    }

    /** Rotates {@code x [n, heads, headDim]} with a table made once per step (shared by layers). */
    public NDArray apply(NDArray x, Table t) {
        Shape s = x.getShape();
        if (s.dimension() != 3 || s.get(2) != headDim || s.get(0) != t.rows()) {
            throw new IllegalArgumentException("rope: expected [" + t.rows() + ", heads, "
                    + headDim + "], got " + s);
        }
        int half = headDim / 2;
        NDArray x1 = x.get(":, :, :" + half);
        NDArray x2 = x.get(":, :, " + half + ":");
        NDArray rotated = x2.neg().concat(x1, -1);
        return x.mul(t.cos()).add(rotated.mul(t.sin()));
    }

    /** The cos/sin table of {@code positions}, owned by {@code m}. */
    public Table table(NDManager m, int[] positions, DataType dtype, ai.djl.Device device) {
        int half = headDim / 2;
        float[] angles = new float[positions.length * half];
        for (int r = 0; r < positions.length; r++) {
            float p = positions[r];
            for (int i = 0; i < half; i++) {
                angles[r * half + i] = p * invFreq[i];   // float32 product, as HF
            }
        }
        NDArray a = m.create(angles, new Shape(positions.length, 1, half));
        NDArray cos = a.cos();
        NDArray sin = a.sin();
        cos = cos.concat(cos, -1);
        sin = sin.concat(sin, -1);
        if (!cos.getDevice().equals(device)) {
            cos = cos.toDevice(device, false);
            sin = sin.toDevice(device, false);
        }
        if (dtype != DataType.FLOAT32) {   // HF: cos/sin in float32, cast to the activations' dtype
            cos = cos.toType(dtype, false);
            sin = sin.toType(dtype, false);
        }
        return new Table(cos, sin, positions.length);
    }
}
