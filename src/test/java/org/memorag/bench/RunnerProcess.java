package org.memorag.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one baseline runner (Jlama's JVM, the PyTorch script) as a child process with a time
 * budget, reading its "rep ..." lines as they come; stderr goes to a log file. When the budget
 * runs out the child (and its children) are killed and the lengths not reached are reported as
 * timed out, so one slow baseline cannot stall the whole bench.
 */
final class RunnerProcess {
    private RunnerProcess() {}

    /** Medians per prompt length, in {@code lengths} order; missing ones carry a note. */
    static Map<Integer, Timing> run(String name, List<String> command, Map<String, String> env,
            Path log, int[] lengths, long budgetSeconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        Map<Integer, List<double[]>> reps = new LinkedHashMap<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    double[] v = Timing.parse(line);
                    if (v != null) {
                        synchronized (reps) {
                            reps.computeIfAbsent((int) v[0], k -> new ArrayList<>()).add(v);
                        }
                    }
                    System.err.println("[" + name + "] " + line);
                }
            } catch (IOException e) {
                System.err.println("[" + name + "] output closed: " + e.getMessage());
            }
        }, name + "-output");
        reader.setDaemon(true);
        reader.start();
        boolean done = p.waitFor(budgetSeconds, TimeUnit.SECONDS);
        String why;
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            why = "timeout > " + budgetSeconds + " s";
        } else {
            why = p.exitValue() == 0 ? "no result" : "exit " + p.exitValue() + ", see " + log;
        }
        reader.join(5000);
        Map<Integer, Timing> out = new LinkedHashMap<>();
        synchronized (reps) {
            for (int n : lengths) {
                List<double[]> r = reps.get(n);
                out.put(n, r == null || r.isEmpty() ? Timing.missing(n, why)
                        : Timing.median(r, (int) r.get(0)[4]));
            }
        }
        return out;
    }
}
