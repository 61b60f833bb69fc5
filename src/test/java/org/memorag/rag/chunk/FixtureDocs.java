package org.memorag.rag.chunk;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The real documents under {@code src/test/resources/fixtures/docs/} (see LICENSES.md there). */
public final class FixtureDocs {
    public static final String QMSUM = "qmsum_ES2016c.txt";
    public static final String LOOGLE_ABE = "loogle_Assassination-of-Shinzo-Abe.txt";
    public static final String KJV_GENESIS = "kjv_kjv-01-Genesis.txt";
    public static final String VCSUM = "vcsum_meeting-013.txt";
    public static final String HONGLOUMENG = "hongloumeng_hongloumeng-001-010.txt";

    private FixtureDocs() {}

    /** The UTF-8 text of fixture document {@code name}. */
    public static String read(String name) {
        String resource = "/fixtures/docs/" + name;
        try (InputStream in = FixtureDocs.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("test resource " + resource + " is missing;"
                        + " see src/test/resources/fixtures/README.md");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading test resource " + resource, e);
        }
    }
}
