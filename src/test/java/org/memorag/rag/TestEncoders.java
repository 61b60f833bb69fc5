package org.memorag.rag;

import org.memorag.engine.encode.BgeSmallEnV15;
import org.memorag.engine.encode.Encoder;

/** The real BGE-small-en-v1.5 encoder from the jar, for tests about meaning. */
public final class TestEncoders {
    private TestEncoders() {}

    public static Encoder bgeSmall() {
        return BgeSmallEnV15.load();
    }
}
