package org.memorag.bench;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** What the bench ran on: cores, CPU model, GPUs, commit, thread count; plus the load average. */
record Machine(int cores, String cpu, int gpus, String commit, int threads) {
    static Machine describe(Path project, int threads) {
        return new Machine(Runtime.getRuntime().availableProcessors(), cpuModel(),
                Engine.getEngine("PyTorch").getGpuCount(), commit(project), threads);
    }

    /** The 1/5/15-minute load averages from /proc/loadavg (other work on the machine). */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
        return "unknown";
    }

    private static String commit(Path project) {
        try {
            Process p = new ProcessBuilder("git", "-C", project.toString(), "describe", "--always",
                    "--dirty").redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            boolean ok = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
            return ok ? s : "unknown (" + s + ")";
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown (interrupted)";
        }
    }
}
