package org.memorag.rag.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class Cl100kTokensTest {

    @Test
    void maxTokenBytesIsTheLongestTokenOfTheVocabulary() throws IOException {
        // the shortcut "more than n * 128 chars means more than n tokens" relies on this
        int longest = 0;
        try (InputStream in = com.knuddels.jtokkit.Encodings.class
                .getResourceAsStream("/com/knuddels/jtokkit/cl100k_base.tiktoken")) {
            assertNotNull(in, "jtokkit's cl100k vocabulary resource moved");
            BufferedReader r =
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String token = line.substring(0, line.indexOf(' '));
                longest = Math.max(longest, Base64.getDecoder().decode(token).length);
            }
        }
        assertEquals(Cl100kTokens.MAX_TOKEN_BYTES, longest);
    }

    @Test
    void countUpToStopsAtTheLimit() {
        String text = "one two three four five"; // 5 tokens
        assertEquals(5, Cl100kTokens.count(text));
        assertEquals(5, Cl100kTokens.countUpTo(text, 5));
        assertEquals(5, Cl100kTokens.countUpTo(text, 9));
        assertEquals(5, Cl100kTokens.countUpTo(text, 4));
        assertEquals(3, Cl100kTokens.countUpTo("x".repeat(3 * 128 + 1), 2));
        assertEquals(0, Cl100kTokens.count(""));
    }
}
