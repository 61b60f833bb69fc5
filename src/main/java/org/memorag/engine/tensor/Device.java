package org.memorag.engine.tensor;

import ai.djl.ndarray.types.DataType;
import java.io.Serializable;

/**
 * Where a model runs and in which float type it computes: the CPU in float32 (the only sensible
 * choice there: CPU fp16 matmul is ~160x slower, STACK_NOTES.md), or GPU {@code index} in float16
 * or float32. Weights are upcast to float32 in Java and converted on the device.
 */
public record Device(String kind, int index, String computeDtype) implements Serializable {
    public Device {
        if (!kind.equals("cpu") && !kind.equals("gpu")) {
            throw new IllegalArgumentException("device kind must be cpu or gpu, got '" + kind
                    + "'");
        }
        if (kind.equals("gpu") && index < 0) {
            throw new IllegalArgumentException("gpu index must be >= 0, got " + index);
        }
        if (!computeDtype.equals("F32") && !computeDtype.equals("F16")) {
            throw new IllegalArgumentException(
                    "compute dtype must be F32 or F16 (BF16 aborts DJL 0.36), got '" + computeDtype
                    + "'");
        }
    }

    public static Device cpu() {
        return new Device("cpu", -1, "F32");
    }

    /** GPU {@code index}, float16 compute (the usual choice for 7B models on a GPU). */
    public static Device gpu(int index) {
        return new Device("gpu", index, "F16");
    }

    /** Parses "cpu", "gpu", "gpu:1", "cuda:0", optionally with "/f32" or "/f16". */
    public static Device parse(String spec) {
        String s = spec.trim().toLowerCase(java.util.Locale.ROOT);
        String dtype = null;
        int slash = s.indexOf('/');
        if (slash >= 0) {
            dtype = s.substring(slash + 1).toUpperCase(java.util.Locale.ROOT);
            s = s.substring(0, slash);
        }
        Device d;
        if (s.equals("cpu")) {
            d = cpu();
        } else if (s.startsWith("gpu") || s.startsWith("cuda")) {
            int colon = s.indexOf(':');
            try {
                d = gpu(colon < 0 ? 0 : Integer.parseInt(s.substring(colon + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("device '" + spec + "': bad gpu index", e);
            }
        } else {
            throw new IllegalArgumentException(
                    "device '" + spec
                    + "' is not cpu, gpu, gpu:N or cuda:N (optionally /f32 or /f16)");
        }
        return dtype == null ? d : d.withDtype(dtype);
    }

    public Device withDtype(String dtype) {
        return new Device(kind, index, dtype);
    }

    public ai.djl.Device djl() {
        return kind.equals("cpu") ? ai.djl.Device.cpu() : ai.djl.Device.gpu(index);
    }

    public DataType dataType() {
        return computeDtype.equals("F16") ? DataType.FLOAT16 : DataType.FLOAT32;
    }

    @Override
    public String toString() {
        return (kind.equals("cpu") ? "cpu" : "gpu:" + index) + "/"
                + computeDtype.toLowerCase(java.util.Locale.ROOT);
    }
}
