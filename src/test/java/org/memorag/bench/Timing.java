package org.memorag.bench;

import java.util.Arrays;
import java.util.List;

/**
 * Median timings of one engine at one prompt length over its repetitions; {@code note} says why
 * there are none (timed out, failed). Parses the runners' lines
 * {@code rep tokens=N prefill_ms=X decode_tokens=M decode_ms=Y first=ID prefill_cpu_ms=A
 * decode_cpu_ms=B} (CPU times of the whole process).
 */
record Timing(int tokens, int reps, double prefillMs, int decodeTokens, double decodeMs, int first,
        double prefillCpuMs, double decodeCpuMs, String note) {

    static Timing missing(int tokens, String note) {
        return new Timing(tokens, 0, Double.NaN, 0, Double.NaN, -1, Double.NaN, Double.NaN, note);
    }

    /** Medians of the repetitions (all of one length). */
    static Timing median(List<double[]> reps, int first) {
        double[] p = reps.stream().mapToDouble(r -> r[1]).sorted().toArray();
        double[] d = reps.stream().mapToDouble(r -> r[3]).sorted().toArray();
        double[] pc = reps.stream().mapToDouble(r -> r[5]).sorted().toArray();
        double[] dc = reps.stream().mapToDouble(r -> r[6]).sorted().toArray();
        return new Timing((int) reps.get(0)[0], reps.size(), med(p), (int) reps.get(0)[2], med(d),
                first, med(pc), med(dc), "");
    }

    double prefillTokensPerSecond() {
        return tokens / (prefillMs / 1e3);
    }

    double decodeTokensPerSecond() {
        return decodeTokens / (decodeMs / 1e3);
    }

    /** Prefill tokens per CPU-second used by the engine's whole process (all its threads). */
    double prefillTokensPerCpuSecond() {
        return tokens / (prefillCpuMs / 1e3);
    }

    double decodeTokensPerCpuSecond() {
        return decodeTokens / (decodeCpuMs / 1e3);
    }

    boolean ok() {
        return reps > 0;
    }

    /**
     * {tokens, prefill_ms, decode_tokens, decode_ms, first, prefill_cpu_ms, decode_cpu_ms} of one
     * "rep ..." line, or null.
     */
    static double[] parse(String line) {
        if (!line.startsWith("rep ")) {
            return null;
        }
        double[] v = new double[7];
        String[] keys = {"tokens", "prefill_ms", "decode_tokens", "decode_ms", "first",
            "prefill_cpu_ms", "decode_cpu_ms"};
        for (String kv : line.substring(4).trim().split("\\s+")) {
            String[] parts = kv.split("=", 2);
            int i = Arrays.asList(keys).indexOf(parts[0]);
            if (i < 0 || parts.length != 2) {
                throw new IllegalArgumentException("bench runner line has unknown field '" + kv
                        + "': " + line);
            }
            v[i] = Double.parseDouble(parts[1]);
        }
        return v;
    }

    private static double med(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
