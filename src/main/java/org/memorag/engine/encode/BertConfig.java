package org.memorag.engine.encode;

import com.google.gson.JsonObject;
import java.nio.file.Path;

/**
 * Hyper-parameters of a BERT-family encoder from its Hugging Face config.json: BERT (BGE
 * small/base/large) and XLM-RoBERTa (BGE-M3). Field names camel-case the config keys.
 */
public record BertConfig(String modelType, int hiddenSize, int numHiddenLayers,
        int numAttentionHeads, int intermediateSize, int vocabSize, int maxPositionEmbeddings,
        int typeVocabSize, double layerNormEps, int padTokenId, String hiddenAct) {
    public BertConfig {
        if (!modelType.equals("bert") && !modelType.equals("xlm-roberta")) {
            throw new IllegalArgumentException("model_type '" + modelType + "' is not an encoder"
                    + " we run; supported: bert, xlm-roberta");
        }
        if (hiddenSize % numAttentionHeads != 0) {
            throw new IllegalArgumentException("hidden_size " + hiddenSize + " is not a multiple"
                    + " of num_attention_heads " + numAttentionHeads);
        }
        if (!hiddenAct.equals("gelu")) {
            throw new IllegalArgumentException("hidden_act '" + hiddenAct + "' is not supported;"
                    + " BERT and XLM-R checkpoints use gelu");
        }
    }

    /** XLM-RoBERTa numbers positions from padding_idx + 1 (RoBERTa's create_position_ids). */
    public boolean robertaPositions() {
        return modelType.equals("xlm-roberta");
    }

    public int headDim() {
        return hiddenSize / numAttentionHeads;
    }

    /** The longest input, special tokens included: RoBERTa loses padding_idx + 1 positions. */
    public int maxTokens() {
        return robertaPositions() ? maxPositionEmbeddings - padTokenId - 1 : maxPositionEmbeddings;
    }

    /** Reads config.json; a missing or mistyped key is reported with the file. */
    public static BertConfig from(JsonObject c, Path file) {
        try {
            String type = c.get("model_type").getAsString();
            boolean roberta = type.equals("xlm-roberta");
            return new BertConfig(type, c.get("hidden_size").getAsInt(),
                    c.get("num_hidden_layers").getAsInt(), c.get("num_attention_heads").getAsInt(),
                    c.get("intermediate_size").getAsInt(), c.get("vocab_size").getAsInt(),
                    c.get("max_position_embeddings").getAsInt(),
                    c.has("type_vocab_size") ? c.get("type_vocab_size").getAsInt() : 2,
                    c.has("layer_norm_eps") ? c.get("layer_norm_eps").getAsDouble() : 1e-12,
                    c.has("pad_token_id") ? c.get("pad_token_id").getAsInt() : roberta ? 1 : 0,
                    c.has("hidden_act") ? c.get("hidden_act").getAsString() : "gelu");
        } catch (NullPointerException | ClassCastException | IllegalStateException
                | UnsupportedOperationException | NumberFormatException e) {
            throw new EncoderException(file + ": not a BERT/XLM-R config (model_type, hidden_size,"
                    + " num_hidden_layers, num_attention_heads, intermediate_size, vocab_size and"
                    + " max_position_embeddings are required): " + e, e);
        } catch (IllegalArgumentException e) {
            throw new EncoderException(file + ": " + e.getMessage(), e);
        }
    }
}
