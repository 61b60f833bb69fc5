package org.memorag.index;

/**
 * Failure reported by FAISS itself (a C++ exception caught at the JNI boundary) or by reading a
 * serialized index; the message carries FAISS's text and what the caller can do about it.
 */
public class FaissException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with FAISS's message (thrown by the JNI shim). */
    public FaissException(String message) {
        super(message);
    }

    /** Creates an exception that adds context to a lower-level failure. */
    public FaissException(String message, Throwable cause) {
        super(message, cause);
    }
}
