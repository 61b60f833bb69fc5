package org.memorag.engine.encode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of files and streams, for encoder fingerprints and the model cache key. */
final class Sha256 {
    private final MessageDigest digest;

    Sha256() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    Sha256 add(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return add(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " to fingerprint it", e);
        }
    }

    Sha256 add(InputStream in) throws IOException {
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
            digest.update(buf, 0, n);
        }
        return this;
    }

    Sha256 add(String s) {
        digest.update(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return this;
    }

    String hex() {
        return HexFormat.of().formatHex(digest.digest());
    }
}
