package org.memorag.bench;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The baseline of RetrievalBench: the embedding loop a user writes straight on ONNX Runtime's own
 * Java API and the Hugging Face tokenizer, one text per {@code run}, [CLS] vector L2-normalised.
 * No batching, no sorting, no pooling of sessions; session options are ONNX Runtime's defaults
 * unless a thread count is given.
 */
final class NaiveOrtLoop implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final boolean tokenTypes;
    private final String label;

    /** @param intraOpThreads 0 = ONNX Runtime's default (one thread per physical core) */
    NaiveOrtLoop(Path onnx, Path tokenizerJson, int maxTokens, int intraOpThreads)
            throws OrtException, IOException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        if (intraOpThreads > 0) {
            options.setIntraOpNumThreads(intraOpThreads);
        }
        this.session = env.createSession(onnx.toString(), options);
        this.tokenTypes = session.getInputNames().contains("token_type_ids");
        this.tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of(
                "truncation", "true", "padding", "false", "maxLength",
                Integer.toString(maxTokens)));
        this.label = intraOpThreads > 0 ? intraOpThreads + " intra-op thread(s)"
                : "ONNX Runtime default threads";
    }

    String label() {
        return label;
    }

    float[] embed(String text) throws OrtException {
        Encoding e = tokenizer.encode(text);
        long[] ids = e.getIds();
        long[][] shaped = {ids};
        long[][] mask = {e.getAttentionMask()};
        Map<String, OnnxTensor> in = new HashMap<>();
        try {
            in.put("input_ids", OnnxTensor.createTensor(env, shaped));
            in.put("attention_mask", OnnxTensor.createTensor(env, mask));
            if (tokenTypes) {
                in.put("token_type_ids", OnnxTensor.createTensor(env, new long[1][ids.length]));
            }
            try (OrtSession.Result out = session.run(in)) {
                float[][][] hidden = (float[][][]) out.get(0).getValue();
                float[] cls = hidden[0][0].clone();
                double norm = 0;
                for (float v : cls) {
                    norm += v * v;
                }
                float inv = (float) (1 / Math.sqrt(norm));
                for (int i = 0; i < cls.length; i++) {
                    cls[i] *= inv;
                }
                return cls;
            }
        } finally {
            in.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
        tokenizer.close();
    }
}
