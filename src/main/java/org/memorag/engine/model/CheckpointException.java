package org.memorag.engine.model;

import java.nio.file.Path;

/**
 * A model folder that cannot be used as it is: a missing file, an unknown architecture, a missing,
 * unexpected or mis-shaped tensor, an unsupported dtype. The message names the file (and tensor)
 * and says what to check.
 */
public class CheckpointException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;

    public CheckpointException(Path file, String message) {
        super(file + ": " + message);
        this.file = file;
    }

    public CheckpointException(Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
        this.file = file;
    }

    /** The file (or folder) the problem is in. */
    public Path file() {
        return file;
    }
}
