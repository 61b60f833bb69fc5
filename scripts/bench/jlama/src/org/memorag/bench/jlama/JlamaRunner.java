package org.memorag.bench.jlama;

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.KvBufferCache;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * EngineBench's Jlama baseline, run in its own Java 21+ JVM by scripts/bench/jlama.sh. Loads the
 * benchmark checkpoint folder in float32, feeds the prompt ids directly (no tokenizer) through
 * {@code batchForward}, then decodes greedily one token at a time with {@code forward} and
 * {@code sample} at temperature 0 - the calls Jlama's own {@code generate} makes.
 * Prints one line per repetition: {@code rep tokens=N prefill_ms=X decode_tokens=M decode_ms=Y
 * first=ID prefill_cpu_ms=A decode_cpu_ms=B} (CPU time of the whole process).
 * Usage: JlamaRunner MODEL_DIR PROMPT_FILE LENGTHS(512,4096) DECODE_TOKENS REPS(3,2) THREADS
 */
public final class JlamaRunner {
    private JlamaRunner() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            throw new IllegalArgumentException("usage: JlamaRunner MODEL_DIR PROMPT_FILE LENGTHS"
                    + " DECODE_TOKENS REPS THREADS (got " + args.length + " arguments)");
        }
        File dir = new File(args[0]);
        int[] all = readIds(Path.of(args[1]));
        String[] lengths = args[2].split(",");
        int decode = Integer.parseInt(args[3]);
        String[] reps = args[4].split(",");
        int threads = Integer.parseInt(args[5]);
        AbstractModel m = ModelSupport.loadModel(dir, null, DType.F32, DType.F32, Optional.empty(),
                Optional.of(threads));
        KvBufferCache caches = new KvBufferCache(m);
        run(m, caches, java.util.Arrays.copyOf(all, 128), 32);   // warm-up (JIT): as every engine
        System.out.println("warmup done");
        for (int i = 0; i < lengths.length; i++) {
            int n = Integer.parseInt(lengths[i].trim());
            int r = Integer.parseInt(reps[Math.min(i, reps.length - 1)].trim());
            for (int k = 0; k < r; k++) {
                System.out.println(run(m, caches, java.util.Arrays.copyOf(all, n), decode));
            }
        }
        m.close();
    }

    private static String run(AbstractModel m, KvBufferCache caches, int[] ids, int decode) {
        int vocab = m.getConfig().vocabularySize;
        try (KvBufferCache.KvBuffer kv = caches.getEphemeralKvBuffer();
             AbstractTensor logits = m.makeDenseTensor(vocab)) {
            long c0 = cpuNanos();
            long t0 = System.nanoTime();
            AbstractTensor last = m.batchForward(ids, 0, kv);
            int next = m.sample(last.slice(last.shape().first() - 1), 0.0f, 0.5f, logits);
            last.close();
            long t1 = System.nanoTime();
            long c1 = cpuNanos();
            int first = next;
            for (int i = 0; i < decode; i++) {
                AbstractTensor out = m.forward(next, ids.length + i, kv, Optional.empty());
                next = m.sample(out, 0.0f, 0.5f, logits);
                out.close();
            }
            long t2 = System.nanoTime();
            long c2 = cpuNanos();
            return String.format(Locale.ROOT, "rep tokens=%d prefill_ms=%.1f decode_tokens=%d"
                    + " decode_ms=%.1f first=%d prefill_cpu_ms=%.1f decode_cpu_ms=%.1f", ids.length,
                    (t1 - t0) / 1e6, decode, (t2 - t1) / 1e6, first, (c1 - c0) / 1e6,
                    (c2 - c1) / 1e6);
        }
    }

    /** CPU time of the whole process (all threads). */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static int[] readIds(Path file) throws java.io.IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int[] ids = new int[b.remaining() / 4];
        b.asIntBuffer().get(ids);
        return ids;
    }
}
