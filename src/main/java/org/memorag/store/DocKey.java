package org.memorag.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The folder name of a document in the store: URL- and path-safe, so a doc_id can never escape
 * {@code <store>/docs/} (DESIGN.md §5). {@code [A-Za-z0-9._-]} are kept, every other UTF-8 byte
 * (and '~') becomes {@code ~XX}; a leading '.' or '_' is escaped too (no "..", no hidden Hadoop
 * files); ids whose key would exceed 120 characters keep a prefix plus {@code ~~} and 16 hex of
 * their SHA-256. Distinct ids give distinct keys (up to a SHA-256 collision).
 */
public record DocKey(String docId, String key) {
    private static final int MAX_KEY = 120;

    public DocKey {
        Objects.requireNonNull(docId, "docId");
        Objects.requireNonNull(key, "key");
    }

    public static DocKey of(String docId) {
        if (docId == null || docId.isEmpty()) {
            throw new IllegalArgumentException("doc_id is empty; every document needs an id");
        }
        byte[] utf8 = docId.getBytes(StandardCharsets.UTF_8);
        StringBuilder k = new StringBuilder();
        for (int i = 0; i < utf8.length; i++) {
            int b = utf8[i] & 0xFF;
            boolean plain = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')
                    || (b >= '0' && b <= '9') || b == '-' || b == '.' || b == '_';
            if (plain && !(i == 0 && (b == '.' || b == '_'))) {
                k.append((char) b);
            } else {
                k.append('~').append(String.format("%02X", b));
            }
        }
        String key = k.toString();
        if (key.length() > MAX_KEY) {
            String prefix = key.substring(0, MAX_KEY - 18);
            int tilde = prefix.lastIndexOf('~');
            if (tilde >= prefix.length() - 2) {
                prefix = prefix.substring(0, tilde); // never cut an escape in half
            }
            key = prefix + "~~" + sha256Hex(utf8).substring(0, 16);
        }
        return new DocKey(docId, key);
    }

    private static String sha256Hex(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
