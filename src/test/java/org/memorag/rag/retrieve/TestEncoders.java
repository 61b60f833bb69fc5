package org.memorag.rag.retrieve;

import org.memorag.engine.encode.Encoder;

/** The real embedding model for retrieval tests and the benchmark. */
public final class TestEncoders {
    private TestEncoders() {}

    /** BGE-small-en-v1.5 (quantized ONNX from the langchain4j jar), CLS + L2, 384 floats. */
    public static Encoder bgeSmall() {
        return BgeSmallOrt.load();
    }
}
