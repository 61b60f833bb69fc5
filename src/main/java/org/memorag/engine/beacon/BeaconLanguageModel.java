package org.memorag.engine.beacon;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.memorag.engine.generate.GenerationConfig;
import org.memorag.engine.model.CheckpointException;
import org.memorag.engine.model.EosIds;
import org.memorag.engine.model.LanguageModel;
import org.memorag.engine.model.ModelMemory;
import org.memorag.engine.tensor.Device;
import org.memorag.engine.tokenize.ChatMessage;
import org.memorag.engine.tokenize.HfTokenizer;
import org.memorag.engine.tokenize.ModelChatTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A MemoRAG memory checkpoint as a {@link LanguageModel} (memory mode {@code beacon}):
 * {@link #memorize} streams the document through the beacon windows and keeps the compressed
 * memory; {@link #generate} continues it with the prompt. The ratio is {@code --beacon-ratio}
 * (MemoRAG's default 4); when a memory budget is set and the document would not fit, a larger
 * ratio is chosen, logged and recorded in the memory's metadata (Q35/Q36). Thread-safe.
 */
public final class BeaconLanguageModel implements LanguageModel {
    private static final Logger log = LoggerFactory.getLogger(BeaconLanguageModel.class);
    public static final String GENERATION_CONFIG = EosIds.GENERATION_CONFIG;

    private final Path dir;
    private final ModelChatTemplate chatTemplate;
    private final BeaconDecoder decoder;
    private final HfTokenizer tokenizer;
    private final Set<Integer> eosIds;
    private final long memoryBudgetBytes;

    private BeaconLanguageModel(Path dir, BeaconDecoder decoder, HfTokenizer tokenizer,
            long memoryBudgetBytes) {
        this.dir = dir;
        this.chatTemplate = new ModelChatTemplate(dir);
        this.decoder = decoder;
        this.tokenizer = tokenizer;
        this.memoryBudgetBytes = memoryBudgetBytes;
        this.eosIds = EosIds.of(dir, decoder.decoderConfig());
    }

    /**
     * Loads weights and tokenizer of a beacon checkpoint.
     *
     * @param ratio             {@code beacon_ratio} to run with (null = MemoRAG's 4)
     * @param memoryBudgetBytes device bytes one memory may take (0 = no limit, no escalation)
     */
    public static BeaconLanguageModel load(Path dir, Device device, Integer ratio,
            long memoryBudgetBytes) {
        BeaconDecoder d = BeaconCheckpoint.load(dir, device,
                ratio == null ? BeaconConfig.MEMORAG_DEFAULT_RATIO : ratio);
        try {
            return new BeaconLanguageModel(dir, d, HfTokenizer.load(dir), memoryBudgetBytes);
        } catch (RuntimeException e) {
            d.close();
            throw e;
        }
    }

    /**
     * True when {@code dir}/config.json has beacon keys (how the CLI and the pipeline pick this
     * class over the plain decoder; never by folder name).
     */
    public static boolean isBeaconFolder(Path dir) {
        Path cfg = dir.resolve("config.json");
        try {
            return BeaconConfig.isBeaconConfig(
                    JsonParser.parseString(Files.readString(cfg)).getAsJsonObject());
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException(cfg, "cannot read as a JSON object: " + e.getMessage(),
                    e);
        }
    }

    public BeaconDecoder decoder() {
        return decoder;
    }

    public HfTokenizer tokenizer() {
        return tokenizer;
    }

    public Set<Integer> eosIds() {
        return eosIds;
    }

    @Override
    public String fingerprint() {
        return decoder.fingerprint();
    }

    @Override
    public int[] tokenize(String text) {
        return tokenizer.encode(text);
    }

    @Override
    public String detokenize(int[] ids) {
        return tokenizer.decode(ids);
    }

    @Override
    public String renderChat(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return chatTemplate.render(messages, addGenerationPrompt);
    }

    /** The ratio a document of {@code tokens} tokens gets under this model's budget. */
    public RatioChoice chooseRatio(long tokens) {
        return RatioEscalation.choose(decoder.config(), tokens, decoder.slotBytes(),
                memoryBudgetBytes, null, decoder.decoderConfig().maxPositionEmbeddings());
    }

    @Override
    public BeaconMemory memorize(int[] ids) {
        long t0 = System.nanoTime();
        RatioChoice choice = chooseRatio(ids.length);
        BeaconMemory m = decoder.memorize(ids, decoder.config().withRatio(choice.chosen()),
                choice, 0L);
        log.info("memorized mode=beacon tokens={} ratio={} slots={} bytes={} ms={}", ids.length,
                choice.chosen(), m.slots(), m.bytes(), (System.nanoTime() - t0) / 1_000_000);
        return m;
    }

    @Override
    public BeaconMemory readMemory(InputStream in) throws IOException {
        return BeaconMemory.read(in, decoder);
    }

    @Override
    public int[] generate(ModelMemory memory, int[] promptIds, GenerationConfig config) {
        return generateDetailed(memory, promptIds, config, false).ids();
    }

    /** Like {@link #generate}, with the logits of every raw prompt token and timings. */
    public BeaconDecoder.Generation generateDetailed(ModelMemory memory, int[] promptIds,
            GenerationConfig config, boolean allLogits) {
        Set<Integer> eos = new LinkedHashSet<>(eosIds);
        eos.addAll(config.extraEosIds());
        return decoder.generate(beaconOf(memory), promptIds, config, eos, tokenizer::decode,
                allLogits);
    }

    private BeaconMemory beaconOf(ModelMemory memory) {
        if (memory == null) {
            return null;
        }
        if (!(memory instanceof BeaconMemory b)) {
            throw new IllegalArgumentException("a beacon model continues only its own \"beacon\""
                    + " memory, got kind \"" + memory.kind() + "\"");
        }
        if (!fingerprint().equals(b.metadata().get("model"))) {
            throw new IllegalArgumentException("memory was made by model "
                    + b.metadata().get("model") + "; this model is " + fingerprint());
        }
        return b;
    }

    @Override
    public void close() {
        tokenizer.close();
        decoder.close();
    }
}
