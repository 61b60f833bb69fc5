package org.memorag.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our bytes are FAISS's file format both ways: a committed index written by Python faiss
 * (scripts/fixtures/faiss_fixture.py) is read and searched like Python did, and, when Debian's
 * python3 with faiss is present, Python reads what we write (scripts/fixtures/faiss_readback.py).
 */
class FaissIndexInteropTest {
    private static final String FIXTURE = "/fixtures/faiss/flat_ip_d8";
    private static final String PYTHON = System.getProperty("memorag.test.python",
            "/usr/bin/python3");

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = FaissIndexInteropTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException(name + " is not on the test class path; regenerate it with"
                        + " /usr/bin/python3 scripts/fixtures/faiss_fixture.py");
            }
            return in.readAllBytes();
        }
    }

    private static JsonObject expected() throws IOException {
        String json = new String(resource(FIXTURE + ".json"), StandardCharsets.UTF_8);
        return JsonParser.parseString(json)
                .getAsJsonObject();
    }

    private static float[][] floats(JsonArray rows) {
        float[][] out = new float[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            JsonArray row = rows.get(i).getAsJsonArray();
            out[i] = new float[row.size()];
            for (int j = 0; j < row.size(); j++) {
                out[i][j] = (float) row.get(j).getAsDouble();
            }
        }
        return out;
    }

    private static long[][] longs(JsonArray rows) {
        long[][] out = new long[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            JsonArray row = rows.get(i).getAsJsonArray();
            out[i] = new long[row.size()];
            for (int j = 0; j < row.size(); j++) {
                out[i][j] = row.get(j).getAsLong();
            }
        }
        return out;
    }

    private static void assertScoresClose(float[][] want, float[][] got, String what) {
        for (int q = 0; q < want.length; q++) {
            assertArrayEquals(want[q], got[q], 1e-5f, what + " query " + q);
        }
    }

    @Test
    void pythonWrittenFlatIpIndexSearchesLikePython() throws IOException {
        JsonObject want = expected();
        float[][] queries = floats(want.getAsJsonArray("queries"));
        int k = want.get("k").getAsInt();
        try (FaissIndex index = FaissIndex.fromBytes(resource(FIXTURE + ".faiss"))) {
            assertEquals("IndexFlatIP", index.description());
            assertEquals(Metric.IP, index.metric());
            assertEquals(want.get("d").getAsInt(), index.dimension());
            assertEquals(want.get("ntotal").getAsLong(), index.ntotal());
            SearchResult got = index.search(queries, k);
            long[][] wantIds = longs(want.getAsJsonArray("ids"));
            for (int q = 0; q < wantIds.length; q++) {
                assertArrayEquals(wantIds[q], got.ids()[q], "query " + q);
            }
            assertScoresClose(floats(want.getAsJsonArray("scores")), got.scores(), "fixture");
        }
    }

    @Test
    void sameVectorsAddedInJavaSerializeToPythonsExactBytes() throws IOException {
        JsonObject want = expected();
        float[][] vectors = floats(want.getAsJsonArray("vectors"));
        try (FaissIndex index = FaissIndex.create(vectors[0].length, "Flat", Metric.IP)) {
            index.add(vectors);
            assertArrayEquals(resource(FIXTURE + ".faiss"), index.toBytes());
        }
    }

    private static boolean pythonFaissAvailable() {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import faiss, numpy")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    @Timeout(180)
    void pythonFaissReadsOurBytesAndSearchesTheSame(@TempDir Path dir) throws Exception {
        assumeTrue(pythonFaissAvailable(), PYTHON + " with faiss and numpy (python3-faiss) is"
                + " not installed; the committed-fixture tests still ran");
        Path script = Path.of(System.getProperty("memorag.project.dir", "."),
                "scripts/fixtures/faiss_readback.py");
        float[][] base = Vectors.clustered(300, 12, 4, 41);
        float[][] queries = Vectors.clustered(6, 12, 4, 42);
        Path queryFile = Files.writeString(dir.resolve("queries.json"), new Gson().toJson(queries));
        Map<String, SearchResult> ours = new LinkedHashMap<>();
        for (String factory : List.of("Flat", "IVF4,Flat", "HNSW16")) {
            for (Metric metric : Metric.values()) {
                try (FaissIndex index = FaissIndex.create(12, factory, metric)) {
                    index.train(base);
                    index.add(base);
                    Path file = dir.resolve(factory.replace(',', '_') + "_" + metric + ".faiss");
                    Files.write(file, index.toBytes());
                    ours.put(file.toString(), index.search(queries, 5));
                }
            }
        }
        JsonObject all = runPython(script, queryFile, 5, List.copyOf(ours.keySet()), dir);
        for (Map.Entry<String, SearchResult> e : ours.entrySet()) {
            String what = Path.of(e.getKey()).getFileName().toString();
            JsonObject py = all.getAsJsonObject(e.getKey());
            assertEquals(12, py.get("d").getAsInt(), what);
            assertEquals(300, py.get("ntotal").getAsLong(), what);
            Metric metric = what.contains("_IP.") ? Metric.IP : Metric.L2;
            assertEquals(metric.faissCode(), py.get("metric_type").getAsInt(), what);
            long[][] pyIds = longs(py.getAsJsonArray("ids"));
            for (int q = 0; q < pyIds.length; q++) {
                assertArrayEquals(pyIds[q], e.getValue().ids()[q], what + " query " + q);
            }
            assertScoresClose(floats(py.getAsJsonArray("scores")), e.getValue().scores(), what);
        }
    }

    private static JsonObject runPython(Path script, Path queries, int k, List<String> indexes,
            Path dir) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(
                List.of(PYTHON, script.toString(), queries.toString(), Integer.toString(k)));
        command.addAll(indexes);
        Path err = dir.resolve("python.err");
        Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError(script + " failed on " + indexes + ": "
                    + Files.readString(err));
        }
        return JsonParser.parseString(out).getAsJsonObject();
    }
}
