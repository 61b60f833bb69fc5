package org.memorag.engine.encode;

/** An encoder that cannot be loaded or run: names the file or setting and what to do. */
public class EncoderException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EncoderException(String message) {
        super(message);
    }

    public EncoderException(String message, Throwable cause) {
        super(message, cause);
    }
}
