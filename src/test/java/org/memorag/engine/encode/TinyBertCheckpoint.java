package org.memorag.engine.encode;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.memorag.engine.tensor.SafetensorsWriter;

/**
 * Writes a tiny random BERT or XLM-RoBERTa folder as transformers saves BertModel /
 * XLMRobertaModel: config.json, model.safetensors with the real tensor names (pooler included,
 * which encoders ignore), and the real BGE-small tokenizer.json (so vocab_size is 30522).
 * Public for EncoderBench, which writes a BGE-small-shaped one.
 */
public final class TinyBertCheckpoint {
    static final int VOCAB = 30522;
    private String modelType = "bert";
    private int hidden = 32;
    private int heads = 4;
    private int layers = 2;
    private int intermediate = 37;
    private int maxPositions = 64;
    private long seed = 1;
    private String dtype = "F32";
    private final Map<String, long[]> reshape = new LinkedHashMap<>();

    public static TinyBertCheckpoint bert() {
        return new TinyBertCheckpoint();
    }

    static TinyBertCheckpoint xlmRoberta() {
        TinyBertCheckpoint t = new TinyBertCheckpoint();
        t.modelType = "xlm-roberta";
        t.maxPositions = 66;  // 64 usable: positions start at padding_idx + 1 = 2
        return t;
    }

    /** Other sizes, e.g. BGE-small's 384 / 12 / 12 / 1536 / 512 for a benchmark. */
    public TinyBertCheckpoint sizes(int hiddenSize, int numHeads, int numLayers,
            int intermediateSize, int maxPositionEmbeddings) {
        hidden = hiddenSize;
        heads = numHeads;
        layers = numLayers;
        intermediate = intermediateSize;
        maxPositions = maxPositionEmbeddings;
        return this;
    }

    TinyBertCheckpoint seed(long s) {
        seed = s;
        return this;
    }

    TinyBertCheckpoint dtype(String d) {
        dtype = d;
        return this;
    }

    TinyBertCheckpoint reshape(String name, long... shape) {
        reshape.put(name, shape);
        return this;
    }

    int maxTokens() {
        return modelType.equals("bert") ? maxPositions : maxPositions - 2;
    }

    public Path writeTo(Path dir) throws IOException {
        Files.createDirectories(dir);
        boolean roberta = modelType.equals("xlm-roberta");
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("architectures", new String[] {roberta ? "XLMRobertaModel" : "BertModel"});
        config.put("model_type", modelType);
        config.put("hidden_size", hidden);
        config.put("num_hidden_layers", layers);
        config.put("num_attention_heads", heads);
        config.put("intermediate_size", intermediate);
        config.put("hidden_act", "gelu");
        config.put("vocab_size", VOCAB);
        config.put("max_position_embeddings", maxPositions);
        config.put("type_vocab_size", roberta ? 1 : 2);
        config.put("layer_norm_eps", roberta ? 1e-5 : 1e-12);
        config.put("pad_token_id", roberta ? 1 : 0);
        config.put("position_embedding_type", "absolute");
        Files.writeString(dir.resolve("config.json"),
                new GsonBuilder().setPrettyPrinting().create().toJson(config));

        Random rnd = new Random(seed);
        SafetensorsWriter out = new SafetensorsWriter();
        add(out, "embeddings.word_embeddings.weight", rnd, 0.5, 0, VOCAB, hidden);
        add(out, "embeddings.position_embeddings.weight", rnd, 0.5, 0, maxPositions, hidden);
        add(out, "embeddings.token_type_embeddings.weight", rnd, 0.5, 0, roberta ? 1 : 2, hidden);
        add(out, "embeddings.LayerNorm.weight", rnd, 0.1, 1, hidden);
        add(out, "embeddings.LayerNorm.bias", rnd, 0.1, 0, hidden);
        for (int i = 0; i < layers; i++) {
            String p = "encoder.layer." + i + ".";
            for (String lin : new String[] {"attention.self.query", "attention.self.key",
                    "attention.self.value", "attention.output.dense"}) {
                add(out, p + lin + ".weight", rnd, 0.3, 0, hidden, hidden);
                add(out, p + lin + ".bias", rnd, 0.1, 0, hidden);
            }
            add(out, p + "attention.output.LayerNorm.weight", rnd, 0.1, 1, hidden);
            add(out, p + "attention.output.LayerNorm.bias", rnd, 0.1, 0, hidden);
            add(out, p + "intermediate.dense.weight", rnd, 0.3, 0, intermediate, hidden);
            add(out, p + "intermediate.dense.bias", rnd, 0.1, 0, intermediate);
            add(out, p + "output.dense.weight", rnd, 0.3, 0, hidden, intermediate);
            add(out, p + "output.dense.bias", rnd, 0.1, 0, hidden);
            add(out, p + "output.LayerNorm.weight", rnd, 0.1, 1, hidden);
            add(out, p + "output.LayerNorm.bias", rnd, 0.1, 0, hidden);
        }
        add(out, "pooler.dense.weight", rnd, 0.3, 0, hidden, hidden);
        add(out, "pooler.dense.bias", rnd, 0.1, 0, hidden);
        out.writeTo(dir.resolve("model.safetensors"));

        Path bge = BgeSmallEnV15.extract(Path.of(System.getProperty("java.io.tmpdir"),
                "memorag-models"));
        Files.copy(bge.resolve(BgeSmallEnV15.TOKENIZER_RESOURCE), dir.resolve("tokenizer.json"));
        return dir;
    }

    private void add(SafetensorsWriter out, String name, Random rnd, double std, double mean,
            long... shape) {
        long[] s = reshape.getOrDefault(name, shape);
        long n = 1;
        for (long d : s) {
            n *= d;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (mean + std * rnd.nextGaussian());
        }
        out.addFloats(name, dtype, s, v);
    }
}
