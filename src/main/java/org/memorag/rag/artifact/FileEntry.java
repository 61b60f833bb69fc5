package org.memorag.rag.artifact;

import java.util.Objects;

/** Size and SHA-256 (lower-case hex) of one artifact file, as listed in manifest.json. */
public record FileEntry(long size, String sha256) {
    public FileEntry {
        Objects.requireNonNull(sha256, "sha256");
        if (size < 0) {
            throw new IllegalArgumentException("file size must be >= 0, got " + size);
        }
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits, got '"
                    + sha256 + "'");
        }
    }
}
