package org.memorag.engine.encode;

import java.nio.file.Files;
import java.nio.file.Path;
import org.memorag.engine.tensor.Device;

/**
 * Opens the encoder a setting names: {@value #EMBEDDED} for the BGE-small ONNX model inside the
 * jar, otherwise a Hugging Face folder, run by ONNX Runtime when it holds ONNX weights and by the
 * engine's BERT / XLM-R when it holds safetensors.
 */
public final class Encoders {
    /** The model shipped in the jar (BgeSmallEnV15). */
    public static final String EMBEDDED = "embedded:bge-small-en-v1.5-q";

    private Encoders() {}

    /**
     * @param spec {@value #EMBEDDED} or a model folder
     * @param device where safetensors encoders run (ONNX models run on the CPU)
     * @param cacheDir where the embedded model's files are copied out of the jar
     */
    public static Encoder load(String spec, Device device, EncoderOptions options,
            Path cacheDir) {
        if (spec.equals(EMBEDDED)) {
            return BgeSmallEnV15.load(cacheDir, options);
        }
        Path dir = Path.of(spec);
        if (!Files.isDirectory(dir)) {
            throw new EncoderException("encoder '" + spec + "' is neither " + EMBEDDED
                    + " nor an existing model folder");
        }
        for (String onnx : new String[] {"model.onnx", "onnx/model.onnx", "model_quantized.onnx",
                "onnx/model_quantized.onnx"}) {
            if (Files.isRegularFile(dir.resolve(onnx))) {
                return OnnxEncoder.fromModelDir(dir, options);
            }
        }
        return BertEncoder.fromModelDir(dir, device, options);
    }
}
