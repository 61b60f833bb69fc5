package org.memorag.engine.encode;

import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A BERT-style ONNX encoder (inputs input_ids, attention_mask[, token_type_ids]; output
 * last_hidden_state) run by DJL's OnnxRuntime engine. Texts are tokenized, truncated, sorted by
 * length and run in batches; pooling and L2 normalisation happen in Java (ONNX Runtime arrays do
 * no math). Thread-safe: DJL predictors are not, so each call borrows one from a pool.
 */
public final class OnnxEncoder implements Encoder {
    private static final Logger log = LoggerFactory.getLogger(OnnxEncoder.class);

    private final ZooModel<NDList, NDList> model;
    private final EncoderTokenizer tokenizer;
    private final EncoderOptions options;
    private final int maxPositions;
    private final boolean tokenTypeInput;
    private final String fingerprint;
    private final ConcurrentLinkedDeque<Predictor<NDList, NDList>> predictors =
            new ConcurrentLinkedDeque<>();
    private final int dimension;
    private volatile boolean closed;

    private OnnxEncoder(ZooModel<NDList, NDList> model, EncoderTokenizer tokenizer,
            EncoderOptions options, int maxPositions, String fingerprint) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.options = options;
        this.maxPositions = maxPositions;
        this.fingerprint = fingerprint;
        this.tokenTypeInput = model.describeInput().keys().contains("token_type_ids");
        this.dimension = encode(List.of("dimension probe"), maxPositions)[0].length;
    }

    /**
     * Loads an ONNX encoder from its two files.
     *
     * @param maxPositions the longest input the model takes (max_position_embeddings; 512 for BGE)
     */
    public static OnnxEncoder load(Path onnxFile, Path tokenizerJson, int maxPositions,
            EncoderOptions options) {
        if (!Files.isRegularFile(onnxFile)) {
            throw new EncoderException(onnxFile + " does not exist: expected the encoder's ONNX"
                    + " weights (e.g. onnx/model.onnx of a Hugging Face repository)");
        }
        EncoderTokenizer tok = EncoderTokenizer.load(tokenizerJson);
        Criteria<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optModelPath(onnxFile)
                .optEngine("OnnxRuntime")
                .optTranslator(new NoopTranslator())
                .optOption("intraOpNumThreads", Integer.toString(options.intraOpThreads()))
                .optOption("interOpNumThreads", Integer.toString(options.interOpThreads()))
                .build();
        ZooModel<NDList, NDList> model;
        try {
            model = criteria.loadModel();
        } catch (ModelNotFoundException | MalformedModelException | IOException
                | RuntimeException e) {
            tok.close();
            throw new EncoderException("cannot load ONNX model " + onnxFile + ": "
                    + e.getMessage(), e);
        }
        String fingerprint = "onnx-" + new Sha256().add(onnxFile).add(tokenizerJson)
                .add(options.pooling().name()).hex().substring(0, 16);
        try {
            OnnxEncoder encoder = new OnnxEncoder(model, tok, options, maxPositions, fingerprint);
            log.info("loaded onnx encoder model={} dim={} pooling={} threads={}/{} fingerprint={}",
                    onnxFile.getFileName(), encoder.dimension, options.pooling(),
                    options.intraOpThreads(), options.interOpThreads(), fingerprint);
            return encoder;
        } catch (RuntimeException e) {
            model.close();
            tok.close();
            throw new EncoderException("ONNX model " + onnxFile + " does not run as a text"
                    + " encoder (inputs input_ids/attention_mask, output last_hidden_state): "
                    + e.getMessage(), e);
        }
    }

    /**
     * Loads a Hugging Face folder with ONNX weights: {@code model.onnx}, {@code onnx/model.onnx}
     * or their {@code _quantized} variants, {@code tokenizer.json}, and optionally config.json
     * (max_position_embeddings) and 1_Pooling/config.json (which then decides the pooling).
     */
    public static OnnxEncoder fromModelDir(Path dir, EncoderOptions options) {
        if (!Files.isDirectory(dir)) {
            throw new EncoderException(dir + " is not a directory: expected a Hugging Face model"
                    + " folder with model.onnx and tokenizer.json");
        }
        Path onnx = null;
        for (String name : List.of("model.onnx", "onnx/model.onnx", "model_quantized.onnx",
                "onnx/model_quantized.onnx")) {
            if (Files.isRegularFile(dir.resolve(name))) {
                onnx = dir.resolve(name);
                break;
            }
        }
        if (onnx == null) {
            throw new EncoderException(dir.resolve("model.onnx") + " does not exist (nor"
                    + " onnx/model.onnx or a _quantized variant): export the encoder to ONNX or"
                    + " use the safetensors encoders");
        }
        JsonObject config = readJson(dir.resolve("config.json"));
        int maxPositions = 512;
        if (config != null && config.has("max_position_embeddings")) {
            maxPositions = config.get("max_position_embeddings").getAsInt();
            if (config.has("model_type") && config.get("model_type").getAsString()
                    .equals("xlm-roberta")) {
                maxPositions -= 2;  // RoBERTa positions start after padding_idx
            }
        }
        JsonObject pooling = readJson(dir.resolve("1_Pooling").resolve("config.json"));
        EncoderOptions opts = options;
        if (pooling != null) {
            boolean cls = pooling.has("pooling_mode_cls_token")
                    && pooling.get("pooling_mode_cls_token").getAsBoolean();
            opts = options.withPooling(cls ? Pooling.CLS : Pooling.MEAN);
        }
        return load(onnx, dir.resolve("tokenizer.json"), maxPositions, opts);
    }

    private static JsonObject readJson(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            throw new EncoderException(file + " is not a readable JSON object: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public int dimension() {
        return dimension;
    }

    /** The longest input the model takes, special tokens included. */
    public int maxPositions() {
        return maxPositions;
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
        if (maxTokens < 3 || maxTokens > maxPositions) {
            throw new IllegalArgumentException("maxTokens must be in [3, " + maxPositions
                    + "] for this model, got " + maxTokens);
        }
        float[][] out = new float[texts.size()][];
        if (texts.isEmpty()) {
            return out;
        }
        List<EncoderTokenizer.Tokens> tokens = tokenizer.encode(texts, maxTokens);
        Predictor<NDList, NDList> predictor = predictors.pollFirst();
        if (predictor == null) {
            predictor = model.newPredictor();
        }
        try {
            for (List<EncoderTokenizer.Tokens> batch
                    : EncoderTokenizer.lengthBatches(tokens, options.batchSize(),
                            options.maxBatchCells())) {
                runBatch(predictor, batch, out);
            }
        } finally {
            if (closed) {
                predictor.close();  // close() ran meanwhile and will not see this one
            } else {
                predictors.offerFirst(predictor);
            }
        }
        return out;
    }

    private void runBatch(Predictor<NDList, NDList> predictor,
            List<EncoderTokenizer.Tokens> batch, float[][] out) {
        int n = batch.size();
        int seqLen = batch.get(0).ids().length;  // longest first
        long[] ids = new long[n * seqLen];
        long[] mask = new long[n * seqLen];
        for (int b = 0; b < n; b++) {
            long[] t = batch.get(b).ids();
            System.arraycopy(t, 0, ids, b * seqLen, t.length);  // pad id 0 ([PAD] in BERT vocabs)
            for (int k = 0; k < t.length; k++) {
                mask[b * seqLen + k] = 1;
            }
        }
        try (NDManager scope = model.getNDManager().newSubManager()) {
            Shape shape = new Shape(n, seqLen);
            NDList inputs = new NDList(named(scope.create(ids, shape), "input_ids"),
                    named(scope.create(mask, shape), "attention_mask"));
            if (tokenTypeInput) {
                inputs.add(named(scope.create(new long[n * seqLen], shape), "token_type_ids"));
            }
            NDList result = predictor.predict(inputs);
            NDArray hidden = result.contains("last_hidden_state")
                    ? result.get("last_hidden_state") : result.get(0);
            Shape hs = hidden.getShape();
            if (hs.dimension() != 3 || hs.get(0) != n || hs.get(1) != seqLen) {
                throw new EncoderException("ONNX model output " + hidden.getName() + " has shape "
                        + hs + ", expected [" + n + ", " + seqLen + ", hidden]");
            }
            int dim = (int) hs.get(2);
            float[] h = hidden.toFloatArray();
            result.close();
            for (int b = 0; b < n; b++) {
                out[batch.get(b).index()] = options.pooling().pool(h, b, seqLen, dim,
                        batch.get(b).ids().length);
            }
        } catch (TranslateException e) {
            throw new EncoderException("ONNX Runtime failed on a batch of " + n + " texts of "
                    + seqLen + " tokens (" + fingerprint + "): " + e.getMessage(), e);
        }
    }

    private static NDArray named(NDArray a, String name) {
        a.setName(name);
        return a;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<Predictor<NDList, NDList>> all = new ArrayList<>(predictors);
        predictors.clear();
        all.forEach(Predictor::close);
        model.close();
        tokenizer.close();
    }
}
