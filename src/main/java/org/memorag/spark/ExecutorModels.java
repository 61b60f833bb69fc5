package org.memorag.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.memorag.rag.Pipeline;
import org.memorag.rag.config.ConfigKeys;
import org.memorag.rag.config.MemoragConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pipelines loaded once per executor JVM, keyed by the job's settings and the device: the only
 * static mutable state in the project (STYLE.md). Loaded pipelines are thread-safe and shared by
 * the JVM's concurrent tasks; a shutdown hook (and {@link #closeAll()} in tests) closes them.
 */
public final class ExecutorModels {
    private static final Logger log = LoggerFactory.getLogger(ExecutorModels.class);
    private static final Map<Key, Pipeline> LOADED = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ExecutorModels::closeAll,
                "memorag-close-models"));
    }

    private ExecutorModels() {}

    /** What makes two loads the same: the settings' fingerprint and the device. */
    record Key(String settingsFingerprint, String device) {}

    /** The pipeline for {@code config} on {@code binding}'s device, loading it on first use. */
    public static Pipeline get(JobConfig config, GpuBinding binding) {
        MemoragConfig mc = memoragConfig(config, binding);
        Key key = new Key(config.fingerprint(), mc.get(ConfigKeys.DEVICE));
        return LOADED.computeIfAbsent(key, k -> {
            long t0 = System.nanoTime();
            Pipeline p = Pipeline.open(mc);
            log.info("models loaded settings={} device={} models_fingerprint={} ms={}"
                    + " (first task in this JVM)", k.settingsFingerprint(), k.device(),
                    p.modelsFingerprint(), (System.nanoTime() - t0) / 1_000_000);
            return p;
        });
    }

    /**
     * The pipeline configuration of a task: the job's settings; the device Spark assigned (a
     * GPU address) overrides the configured one; native threads default to one per task slot.
     */
    static MemoragConfig memoragConfig(JobConfig config, GpuBinding binding) {
        MemoragConfig.Builder b = MemoragConfig.builder().putAll(config.settings(), "job");
        if (binding.isGpu()) {
            b.set(ConfigKeys.DEVICE.name(), binding.deviceName());
        }
        if (!config.settings().containsKey(ConfigKeys.THREADS.name())) {
            b.set(ConfigKeys.THREADS.name(), "1");
        }
        return b.build();
    }

    /** Closes every loaded pipeline (shutdown hook; tests between sessions). */
    public static void closeAll() {
        for (Key k : LOADED.keySet()) {
            Pipeline p = LOADED.remove(k);
            if (p != null) {
                try {
                    p.close();
                } catch (RuntimeException e) {
                    log.warn("closing models settings={} device={} failed: {}",
                            k.settingsFingerprint(), k.device(), e.toString());
                }
            }
        }
    }
}
