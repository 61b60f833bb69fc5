package org.memorag;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the layers of DESIGN.md §3 apart: engine -> index -> rag -> store -> spark -> cli. A
 * package may import only packages to its left; engine, index and rag import neither Spark nor
 * Hadoop, and store imports no Spark.
 */
class LayeringTest {
    private static final List<String> ORDER =
            List.of("engine", "index", "rag", "store", "spark", "cli");
    private static final Pattern IMPORT =
            Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);

    @Test
    void noPackageImportsALaterLayerOrAForbiddenFramework() throws IOException {
        Path main = Path.of(System.getProperty("memorag.project.dir", "."), "src/main/java/org/memorag");
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(main)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                String layer = main.relativize(f).getName(0).toString();
                int rank = ORDER.indexOf(layer);
                Matcher m = IMPORT.matcher(Files.readString(f, StandardCharsets.UTF_8));
                while (m.find()) {
                    String imported = m.group(1);
                    String why = forbidden(layer, rank, imported);
                    if (why != null) {
                        violations.add(main.relativize(f) + " imports " + imported + ": " + why);
                    }
                }
            }
        }
        assertTrue(violations.isEmpty(), String.join("\n", violations));
    }

    /** Why {@code imported} may not appear in a file of {@code layer}, or null when it may. */
    static String forbidden(String layer, int rank, String imported) {
        if (imported.startsWith("org.memorag.")) {
            String target = imported.substring("org.memorag.".length()).split("\\.")[0];
            int targetRank = ORDER.indexOf(target);
            if (targetRank > rank) {
                return "layer '" + layer + "' may not depend on the later layer '" + target + "'";
            }
            return null;
        }
        boolean spark = imported.startsWith("org.apache.spark.") || imported.startsWith("scala.");
        boolean hadoop = imported.startsWith("org.apache.hadoop.")
                || imported.startsWith("org.apache.parquet.");
        if (rank >= 0 && rank <= ORDER.indexOf("rag") && (spark || hadoop)) {
            return "engine, index and rag know nothing of Spark or Hadoop";
        }
        if (layer.equals("store") && spark) {
            return "store uses Hadoop, not Spark";
        }
        return null;
    }

    @Test
    void ruleCatchesAnUpwardImport() {
        assertTrue(forbidden("engine", 0, "org.memorag.rag.Pipeline") != null);
        assertTrue(forbidden("rag", 2, "org.apache.hadoop.fs.Path") != null);
        assertTrue(forbidden("store", 3, "org.apache.spark.sql.Row") != null);
        assertTrue(forbidden("spark", 4, "org.memorag.rag.Pipeline") == null);
    }
}
