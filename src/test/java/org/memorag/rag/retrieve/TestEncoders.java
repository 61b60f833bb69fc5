package org.memorag.rag.retrieve;

import org.memorag.engine.encode.BgeSmallEnV15;
import org.memorag.engine.encode.Encoder;

/** The real embedding model for retrieval tests and the benchmark. */
public final class TestEncoders {
    private TestEncoders() {}

    /**
     * The engine's BGE-small-en-v1.5 (quantized ONNX from the langchain4j jar on ONNX Runtime,
     * CLS + L2, 384 floats, one ONNX Runtime thread).
     */
    public static Encoder bgeSmall() {
        return BgeSmallEnV15.load();
    }
}
