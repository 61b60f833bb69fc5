package org.memorag.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.memorag.engine.model.DecoderConfig;

/**
 * EngineBench's report: machine, commit, load averages, the matmul ceiling, one Markdown table row
 * per prompt length (ours, Jlama, PyTorch, ratios, % of ceiling) and the goals, each
 * marked met or missed.
 */
final class BenchTable {
    private BenchTable() {}

    static String render(Machine m, DecoderConfig c, EngineBench.Options o,
            MatmulCeiling.Result ceiling, List<String> loads, Map<Integer, Timing> ours,
            Map<Integer, Timing> jlama, Map<Integer, Timing> torch) {
        StringBuilder s = new StringBuilder();
        s.append(f("### EngineBench: %.1fM-parameter random Qwen2 (hidden %d, %d layers, %d heads,"
                + " %d KV heads, intermediate %d, vocab %d, tied, F32)%n%n",
                BenchCheckpoint.parameters() / 1e6, c.hiddenSize(), c.numHiddenLayers(),
                c.numAttentionHeads(), c.numKeyValueHeads(), c.intermediateSize(), c.vocabSize()));
        s.append(f("- machine: %d cores (%s), GPU: %s; %d threads per engine; commit %s%n",
                m.cores(), m.cpu(), m.gpus() == 0 ? "none" : m.gpus() + " (unused: CPU run)",
                m.threads(), m.commit()));
        s.append(f("- env OMP_WAIT_POLICY=%s (PyTorch's OpenMP in our JVM and in python; Jlama uses"
                + " a ForkJoinPool)%n", System.getenv().getOrDefault("OMP_WAIT_POLICY", "unset")));
        s.append("- load average (1/5/15 min): ").append(String.join("; ", loads)).append('\n');
        s.append(f("- fp32 matmul ceiling (DJL PyTorch, best of the runs before and after): %s;"
                + " ceiling = %.1f GFLOP/s%n", ceiling, ceiling.best()));
        s.append(f("- every engine: warm-up, then per length the median of %s runs (per length);"
                + " decode = %d greedy tokens after the prompt, one forward each%n",
                o.csv(o.reps()), o.decode()));
        s.append("- prefill FLOPs = 2 x non-embedding matmul parameters x tokens + causal attention"
                + " (QK^T and PV over n(n+1)/2 pairs); lm_head of the last token not counted\n\n");
        s.append("| prompt | prefill tok/s ours | Jlama | PyTorch | ours/Jlama | ours/PyTorch"
                + " | ours GFLOP/s | % of ceiling | decode tok/s ours | Jlama | PyTorch"
                + " | ours/Jlama"
                + " | ours/PyTorch |\n");
        s.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        List<String> goals = new ArrayList<>();
        for (int n : o.lengths()) {
            Timing a = ours.get(n);
            Timing j = jlama == null ? Timing.missing(n, "skipped") : jlama.get(n);
            Timing t = torch == null ? Timing.missing(n, "skipped") : torch.get(n);
            double gflops = (perTokenFlops(c) * (double) n + attentionFlops(c, n))
                    / (a.prefillMs() / 1e3) / 1e9;
            double pct = 100 * gflops / ceiling.best();
            s.append(f("| %d | %s | %s | %s | %s | %s | %.1f | %.0f%% | %s | %s | %s | %s | %s |%n",
                    n, tps(a, true), tps(j, true), tps(t, true), ratio(a, j, true),
                    ratio(a, t, true), gflops, pct, tps(a, false), tps(j, false), tps(t, false),
                    ratio(a, j, false), ratio(a, t, false)));
            goals.add(goal(f("%d: prefill >= 1.5x Jlama", n), a, j, true, 1.5));
            goals.add(goal(f("%d: prefill >= 1.0x PyTorch eager", n), a, t, true, 1.0));
            if (n >= 4096) {
                goals.add(f("%d: prefill >= 60%% of ceiling: %s (%.0f%%)", n,
                        pct >= 60 ? "met" : "MISSED", pct));
            }
            goals.add(goal(f("%d: decode >= 1.0x Jlama", n), a, j, false, 1.0));
        }
        s.append(f("%nPer CPU-second (tokens per CPU-second used by the engine's whole process,"
                + " all threads: work per CPU spent, less sensitive to other load than wall time;"
                + " ceiling %.1f GFLOP per CPU-second)%n%n", ceiling.bestCpu()));
        s.append("| prompt | prefill ours | Jlama | PyTorch | ours/Jlama | ours/PyTorch"
                + " | % of ceiling | decode ours | Jlama | PyTorch | ours/Jlama"
                + " | ours/PyTorch |\n");
        s.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (int n : o.lengths()) {
            Timing a = ours.get(n);
            Timing j = jlama == null ? Timing.missing(n, "skipped") : jlama.get(n);
            Timing t = torch == null ? Timing.missing(n, "skipped") : torch.get(n);
            double gflops = (perTokenFlops(c) * (double) n + attentionFlops(c, n))
                    / (a.prefillCpuMs() / 1e3) / 1e9;
            s.append(f("| %d | %s | %s | %s | %s | %s | %.0f%% | %s | %s | %s | %s | %s |%n", n,
                    cpu(a, true, o), cpu(j, true, o), cpu(t, true, o), cpuRatio(a, j, true, o),
                    cpuRatio(a, t, true, o), 100 * gflops / ceiling.bestCpu(), cpu(a, false, o),
                    cpu(j, false, o), cpu(t, false, o), cpuRatio(a, j, false, o),
                    cpuRatio(a, t, false, o)));
        }
        s.append("\nfirst generated id (greedy) ours / Jlama / PyTorch: ");
        List<String> firsts = new ArrayList<>();
        for (int n : o.lengths()) {
            firsts.add(f("%d: %s / %s / %s", n, first(ours.get(n)),
                    jlama == null ? "-" : first(jlama.get(n)),
                    torch == null ? "-" : first(torch.get(n))));
        }
        s.append(String.join("; ", firsts)).append("\n\ngoals:\n");
        goals.forEach(g -> s.append("- ").append(g).append('\n'));
        return s.toString();
    }

    /** Matmul FLOPs per token outside attention scores (projections, MLP); lm_head excluded. */
    static long perTokenFlops(DecoderConfig c) {
        long h = c.hiddenSize();
        long q = (long) c.numAttentionHeads() * c.headDim();
        long kv = (long) c.numKeyValueHeads() * c.headDim();
        long perLayer = h * q + 2 * h * kv + q * h + 3 * h * c.intermediateSize();
        return 2 * perLayer * c.numHiddenLayers();
    }

    /** Causal attention: QK^T and PV over n(n+1)/2 pairs, per head and layer. */
    static double attentionFlops(DecoderConfig c, int n) {
        return 2.0 * 2 * (n * (n + 1) / 2.0) * c.numAttentionHeads() * c.headDim()
                * c.numHiddenLayers();
    }

    private static String goal(String what, Timing ours, Timing base, boolean prefill,
            double need) {
        if (!base.ok()) {
            return what + ": not measured (" + base.note() + ")";
        }
        double r = rate(ours, prefill) / rate(base, prefill);
        return f("%s: %s (%.2fx)", what, r >= need ? "met" : "MISSED", r);
    }

    private static double rate(Timing t, boolean prefill) {
        return prefill ? t.prefillTokensPerSecond() : t.decodeTokensPerSecond();
    }

    private static String tps(Timing t, boolean prefill) {
        return t.ok() ? f("%.1f", rate(t, prefill)) : t.note();
    }

    private static String ratio(Timing a, Timing b, boolean prefill) {
        return a.ok() && b.ok() ? f("%.2fx", rate(a, prefill) / rate(b, prefill)) : "-";
    }

    private static double cpuRate(Timing t, boolean prefill, EngineBench.Options o) {
        return prefill ? t.prefillTokensPerCpuSecond() : t.decodeTokensPerCpuSecond();
    }

    private static String cpu(Timing t, boolean prefill, EngineBench.Options o) {
        if (!t.ok()) {
            return t.note();
        }
        return plausibleCpu(t, prefill, o) ? f("%.1f", cpuRate(t, prefill, o))
                : "n/a (CPU clock implausible)";
    }

    private static String cpuRatio(Timing a, Timing b, boolean prefill, EngineBench.Options o) {
        return a.ok() && b.ok() && plausibleCpu(a, prefill, o) && plausibleCpu(b, prefill, o)
                ? f("%.2fx", cpuRate(a, prefill, o) / cpuRate(b, prefill, o)) : "-";
    }

    /**
     * CPU time can be neither negative nor above wall time x threads (plus slack for helper
     * threads): python's process CPU clock once reported -2000 s for a 14 s prefill here.
     */
    private static boolean plausibleCpu(Timing t, boolean prefill, EngineBench.Options o) {
        double cpuMs = prefill ? t.prefillCpuMs() : t.decodeCpuMs();
        double wallMs = prefill ? t.prefillMs() : t.decodeMs();
        return cpuMs > 0 && cpuMs <= wallMs * Math.max(1, o.threads()) * 1.5;
    }

    private static String first(Timing t) {
        return t.ok() ? String.valueOf(t.first()) : "-";
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
