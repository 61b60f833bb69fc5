package org.memorag.engine.encode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.memorag.engine.model.Checkpoint;
import org.memorag.engine.tensor.Device;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A BERT or XLM-RoBERTa encoder from a Hugging Face safetensors folder (BGE small/base/large,
 * BGE-M3) on DJL's PyTorch engine, CPU or GPU: tokenized and truncated like OnnxEncoder, batched
 * by length within {@link EncoderOptions#maxBatchCells()}, pooled on the device (CLS or masked
 * mean) and L2-normalised in Java. fp32 end to end on CPU, so a text's vector does not depend
 * on its batch. Thread-safe. PyTorch's thread pool is per JVM
 * ({@code -Dai.djl.pytorch.num_threads}); the ORT thread fields of {@link EncoderOptions} do not
 * apply here.
 */
public final class BertEncoder implements Encoder {
    private static final Logger log = LoggerFactory.getLogger(BertEncoder.class);

    private final Bert bert;
    private final EncoderTokenizer tokenizer;
    private final EncoderOptions options;
    private final String fingerprint;
    private volatile boolean closed;

    private BertEncoder(Bert bert, EncoderTokenizer tokenizer, EncoderOptions options,
            String fingerprint) {
        this.bert = bert;
        this.tokenizer = tokenizer;
        this.options = options;
        this.fingerprint = fingerprint;
    }

    /**
     * Loads config.json, model.safetensors (or its shards) and tokenizer.json from {@code dir};
     * 1_Pooling/config.json, when present, decides the pooling (else {@code options}).
     */
    public static BertEncoder fromModelDir(Path dir, Device device, EncoderOptions options) {
        EncoderOptions opts = poolingFromDir(dir, options);
        Path tokenizerJson = dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new EncoderException(tokenizerJson + " does not exist: an encoder needs the"
                    + " tokenizer.json of its Hugging Face repository next to the weights");
        }
        Bert bert;
        String fingerprint;
        try (Checkpoint ckpt = Checkpoint.open(dir)) {
            BertConfig config = BertConfig.from(ckpt.config(), ckpt.configFile());
            bert = Bert.load(ckpt, config, device);
            fingerprint = "bert-" + new Sha256().add(ckpt.fingerprint())
                    .add(opts.pooling().name()).add(tokenizerJson).hex().substring(0, 16);
        }
        try {
            EncoderTokenizer tok = EncoderTokenizer.load(tokenizerJson);
            log.info("loaded encoder model_type={} layers={} dim={} pooling={} device={}"
                    + " fingerprint={}", bert.config().modelType(), bert.config().numHiddenLayers(),
                    bert.config().hiddenSize(), opts.pooling(), device, fingerprint);
            return new BertEncoder(bert, tok, opts, fingerprint);
        } catch (RuntimeException e) {
            bert.close();
            throw e;
        }
    }

    private static EncoderOptions poolingFromDir(Path dir, EncoderOptions options) {
        Path file = dir.resolve("1_Pooling").resolve("config.json");
        if (!Files.isRegularFile(file)) {
            return options;
        }
        try {
            JsonObject p = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
            boolean cls = p.has("pooling_mode_cls_token")
                    && p.get("pooling_mode_cls_token").getAsBoolean();
            return options.withPooling(cls ? Pooling.CLS : Pooling.MEAN);
        } catch (IOException | RuntimeException e) {
            throw new EncoderException(file + " is not a readable JSON object: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public int dimension() {
        return bert.config().hiddenSize();
    }

    /** The longest input, special tokens included (512 for BERT, 8192 for BGE-M3). */
    public int maxPositions() {
        return bert.config().maxTokens();
    }

    @Override
    public int tokenCount(String text) {
        return tokenizer.count(text);
    }

    @Override
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public float[][] encode(List<String> texts, int maxTokens) {
        if (closed) {
            throw new IllegalStateException("encoder " + fingerprint + " is closed");
        }
        if (maxTokens < 3 || maxTokens > maxPositions()) {
            throw new IllegalArgumentException("maxTokens must be in [3, " + maxPositions()
                    + "] for this model, got " + maxTokens);
        }
        float[][] out = new float[texts.size()][];
        if (texts.isEmpty()) {
            return out;
        }
        List<EncoderTokenizer.Tokens> tokens = tokenizer.encode(texts, maxTokens);
        // the cell budget also bounds memory: an 8K-token BGE-M3 input runs alone
        for (List<EncoderTokenizer.Tokens> batch : EncoderTokenizer.lengthBatches(tokens,
                options.batchSize(), options.maxBatchCells())) {
            long[][] rows = new long[batch.size()][];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = batch.get(i).ids();
            }
            float[][] pooled = pooled(rows);
            for (int i = 0; i < rows.length; i++) {
                out[batch.get(i).index()] = pooled[i];
            }
        }
        return out;
    }

    /** Pooled, normalised vectors of one padded batch (exposed to tests through the package). */
    float[][] pooled(long[][] rows) {
        try (NDManager scope = bert.newScope()) {
            NDArray x = bert.forward(scope, rows);                    // [b, t, hidden]
            int b = rows.length;
            int t = (int) x.getShape().get(1);
            int dim = dimension();
            NDArray v;
            if (options.pooling() == Pooling.CLS) {
                v = x.get(new NDIndex(":, 0, :"));
            } else {
                float[] mask = new float[b * t];
                float[] count = new float[b];
                for (int i = 0; i < b; i++) {
                    for (int j = 0; j < rows[i].length; j++) {
                        mask[i * t + j] = 1f;
                    }
                    count[i] = rows[i].length;
                }
                NDArray m = scope.create(mask, new Shape(b, t, 1)).toDevice(x.getDevice(), false);
                NDArray c = scope.create(count, new Shape(b, 1)).toDevice(x.getDevice(), false);
                v = x.mul(m).sum(new int[] {1}).div(c);
            }
            float[] flat = v.toFloatArray();
            float[][] out = new float[b][];
            for (int i = 0; i < b; i++) {
                out[i] = Pooling.normaliseRow(flat, i, dim);
            }
            return out;
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            bert.close();
            tokenizer.close();
        }
    }
}
