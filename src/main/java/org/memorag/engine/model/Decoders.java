package org.memorag.engine.model;

import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.memorag.engine.tensor.Device;
import org.memorag.engine.tokenize.HfTokenizer;

/** Loads a Hugging Face decoder folder: picks the architecture by config.json's model_type. */
public final class Decoders {
    private static final Logger log = LoggerFactory.getLogger(Decoders.class);

    private Decoders() {}

    /** Weights only (no tokenizer): the architecture named by config.json, on {@code device}. */
    public static Decoder loadDecoder(Path dir, Device device) {
        try (Checkpoint ckpt = Checkpoint.open(dir)) {
            return checked(ckpt, loadDecoder(ckpt, device));
        }
    }

    /**
     * Tensors a loader may leave unused: rotary inv_freq buffers some exporters save, and a saved
     * lm_head.weight when tie_word_embeddings (transformers ties it to embed_tokens).
     */
    public static boolean ignorable(DecoderConfig c, String tensor) {
        return tensor.endsWith("rotary_emb.inv_freq")
                || (c.tieWordEmbeddings() && tensor.equals("lm_head.weight"));
    }

    private static Decoder checked(Checkpoint ckpt, Decoder d) {
        try {
            ckpt.checkAllUsed(n -> ignorable(d.config(), n));
            return d;
        } catch (RuntimeException e) {
            d.close();
            throw e;
        }
    }

    /**
     * The architecture named by config.json, loaded from an open checkpoint without the unused-
     * tensor check (callers that load more weights from {@code ckpt} run it themselves).
     */
    public static Decoder loadDecoder(Checkpoint ckpt, Device device) {
        DecoderConfig c = DecoderConfig.fromJson(ckpt.configFile(), ckpt.config());
        return switch (c.modelType()) {
            case "qwen2" -> Qwen2.load(ckpt, c, device);
            case "llama", "mistral" -> Llama.load(ckpt, c, device);
            default -> throw new CheckpointException(ckpt.configFile(), "model_type '"
                    + c.modelType()
                    + "' is not a supported decoder; supported: " + DecoderConfig.SUPPORTED);
        };
    }

    /**
     * Weights, tokenizer and generation settings of {@code dir}, ready to memorize and generate.
     */
    public static DecoderLanguageModel load(Path dir, Device device) {
        long t0 = System.nanoTime();
        String fingerprint;
        Decoder decoder;
        try (Checkpoint ckpt = Checkpoint.open(dir)) {
            fingerprint = ckpt.fingerprint();
            decoder = checked(ckpt, loadDecoder(ckpt, device));
        }
        try {
            HfTokenizer tokenizer = HfTokenizer.load(dir);
            DecoderLanguageModel lm = new DecoderLanguageModel(dir, decoder, tokenizer,
                    fingerprint);
            DecoderConfig c = decoder.config();
            log.info("loaded model_type={} layers={} hidden={} fingerprint={} device={} ms={}",
                    c.modelType(), c.numHiddenLayers(), c.hiddenSize(), fingerprint, device,
                    (System.nanoTime() - t0) / 1_000_000);
            return lm;
        } catch (RuntimeException e) {
            decoder.close();
            throw e;
        }
    }
}
