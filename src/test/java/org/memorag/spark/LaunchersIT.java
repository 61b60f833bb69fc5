package org.memorag.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memorag.testing.LocalSpark;

/** The shell launchers' argument handling and the GPU discovery script, run with bash. */
class LaunchersIT {
    private record Result(int code, String out) {}

    private static Result run(Map<String, String> env, String... cmd) throws Exception {
        List<String> c = new ArrayList<>(List.of("bash"));
        c.addAll(List.of(cmd));
        ProcessBuilder pb = new ProcessBuilder(c).directory(LocalSpark.projectDir().toFile())
                .redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out);
    }

    @Test
    void helpPrintsUsageAndExitsZero() throws Exception {
        for (String job : List.of("jobs/memorize.sh", "jobs/answer.sh")) {
            Result r = run(Map.of(), job, "--help");
            assertEquals(0, r.code(), r.out());
            assertTrue(r.out().startsWith("usage: " + job), r.out());
        }
    }

    @Test
    void missingOrUnknownArgumentsExitTwoNamingThem() throws Exception {
        Result r = run(Map.of(), "jobs/memorize.sh", "--store", "file:store");
        assertEquals(2, r.code(), r.out());
        assertTrue(r.out().contains("--corpus and --store are required"), r.out());
        r = run(Map.of(), "jobs/answer.sh", "--questions", "q.jsonl", "--store", "s");
        assertEquals(2, r.code(), r.out());
        assertTrue(r.out().contains("--out is required"), r.out());
        r = run(Map.of(), "jobs/answer.sh", "--colour", "blue");
        assertEquals(2, r.code(), r.out());
        assertTrue(r.out().contains("unknown argument '--colour'"), r.out());
    }

    @Test
    void gpuDiscoveryPrintsAnEmptyListWithoutNvidiaSmi(@TempDir Path dir) throws Exception {
        Result r = run(Map.of("PATH", dir + ":/usr/bin:/bin"), "scripts/gpu-discovery.sh");
        assertEquals(0, r.code(), r.out());
        assertEquals("{\"name\":\"gpu\",\"addresses\":[]}", r.out().trim());
    }

    @Test
    void gpuDiscoveryListsNvidiaSmiIndices(@TempDir Path dir) throws IOException, Exception {
        Path smi = dir.resolve("nvidia-smi");
        Files.writeString(smi, "#!/usr/bin/env bash\n"
                + "[ \"$1\" = --query-gpu=index ] && printf '0\\n1\\n3\\n'\n");
        assertTrue(smi.toFile().setExecutable(true));
        Result r = run(Map.of("PATH", dir + ":/usr/bin:/bin"), "scripts/gpu-discovery.sh");
        assertEquals(0, r.code(), r.out());
        assertEquals("{\"name\":\"gpu\",\"addresses\":[\"0\",\"1\",\"3\"]}", r.out().trim());
    }
}
