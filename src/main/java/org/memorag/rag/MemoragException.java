package org.memorag.rag;

import java.util.Objects;

/**
 * A failure with a stable {@link ErrorCode}; the message reads {@code CODE: what happened and
 * what to do}. Spark jobs turn it into a status=error row; the CLI prints its message.
 */
public class MemoragException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public MemoragException(ErrorCode code, String message) {
        this(code, message, null);
    }

    public MemoragException(ErrorCode code, String message, Throwable cause) {
        super(Objects.requireNonNull(code, "code") + ": " + message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
