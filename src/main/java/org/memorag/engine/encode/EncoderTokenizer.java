package org.memorag.engine.encode;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The tokenizer.json of an encoder, through DJL's Hugging Face tokenizers binding, with the
 * truncation done here so that one tokenizer serves every {@code maxTokens}: like transformers'
 * {@code truncation=True, max_length=n} for one sequence, the text's tokens are cut so that they
 * plus the special tokens ([CLS] ... [SEP], &lt;s&gt; ... &lt;/s&gt;) fit in n. Thread-safe.
 */
final class EncoderTokenizer implements AutoCloseable {
    /** One text: token ids and the number of them (ids are unpadded). */
    record Tokens(int index, long[] ids) {}

    private final Path file;
    private final HuggingFaceTokenizer tokenizer;

    private EncoderTokenizer(Path file, HuggingFaceTokenizer tokenizer) {
        this.file = file;
        this.tokenizer = tokenizer;
    }

    static EncoderTokenizer load(Path tokenizerJson) {
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new EncoderException(tokenizerJson + " does not exist: an encoder needs the"
                    + " tokenizer.json of its Hugging Face repository next to the weights");
        }
        // Explicit options: without them DJL pads and truncates every text to 512 tokens.
        Map<String, String> options = Map.of("truncation", "false", "padding", "false",
                "addSpecialTokens", "true", "maxLength", "1000000");
        try {
            return new EncoderTokenizer(tokenizerJson,
                    HuggingFaceTokenizer.newInstance(tokenizerJson, options));
        } catch (IOException | RuntimeException e) {
            throw new EncoderException("cannot load tokenizer " + tokenizerJson + ": "
                    + e.getMessage() + " (is it a Hugging Face tokenizers JSON file?)", e);
        }
    }

    Path file() {
        return file;
    }

    /** Token ids of each text, special tokens included, at most {@code maxTokens} each. */
    List<Tokens> encode(List<String> texts, int maxTokens) {
        List<Tokens> out = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            if (text == null) {
                throw new IllegalArgumentException("text " + i + " to encode is null");
            }
            Encoding e = tokenizer.encode(text);
            out.add(new Tokens(i, truncate(e.getIds(), e.getSpecialTokenMask(), maxTokens)));
        }
        return out;
    }

    /** Tokens of the text, special tokens included, untruncated. */
    int count(String text) {
        if (text == null) {
            throw new IllegalArgumentException("text to count is null");
        }
        return tokenizer.encode(text).getIds().length;
    }

    /** Keeps the leading and trailing special tokens and the first text tokens that fit. */
    static long[] truncate(long[] ids, long[] specialMask, int maxTokens) {
        if (ids.length <= maxTokens) {
            return ids;
        }
        int lead = 0;
        while (lead < ids.length && specialMask[lead] == 1) {
            lead++;
        }
        int trail = 0;
        while (trail < ids.length - lead && specialMask[ids.length - 1 - trail] == 1) {
            trail++;
        }
        int keep = maxTokens - lead - trail;
        if (keep < 1) {
            throw new IllegalArgumentException("maxTokens " + maxTokens + " leaves no room for"
                    + " text next to the " + (lead + trail) + " special tokens");
        }
        long[] out = new long[maxTokens];
        System.arraycopy(ids, 0, out, 0, lead + keep);
        System.arraycopy(ids, ids.length - trail, out, lead + keep, trail);
        return out;
    }

    /**
     * Batches of at most {@code batchSize} texts of similar length (longest first), so a batch
     * pads little; each Tokens keeps its input index to put results back in order.
     */
    static List<List<Tokens>> lengthBatches(List<Tokens> tokens, int batchSize) {
        return lengthBatches(tokens, batchSize, Long.MAX_VALUE);
    }

    /**
     * As {@link #lengthBatches(List, int)}, also keeping batch rows x longest row² at most
     * {@code maxBatchCells} (a batch always holds at least one text).
     */
    static List<List<Tokens>> lengthBatches(List<Tokens> tokens, int batchSize,
            long maxBatchCells) {
        Tokens[] sorted = tokens.toArray(new Tokens[0]);
        Arrays.sort(sorted, Comparator.comparingInt((Tokens t) -> t.ids().length).reversed()
                .thenComparingInt(Tokens::index));
        List<List<Tokens>> batches = new ArrayList<>();
        int s = 0;
        while (s < sorted.length) {
            long longest = Math.max(1, sorted[s].ids().length);
            int n = (int) Math.max(1, Math.min(batchSize, maxBatchCells / (longest * longest)));
            int e = Math.min(sorted.length, s + n);
            batches.add(List.of(Arrays.copyOfRange(sorted, s, e)));
            s = e;
        }
        return batches;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
