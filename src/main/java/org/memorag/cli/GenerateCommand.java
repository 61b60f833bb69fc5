package org.memorag.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.memorag.engine.generate.GenerationConfig;
import org.memorag.engine.model.DecoderLanguageModel;
import org.memorag.engine.model.Decoders;
import org.memorag.engine.tensor.Device;
import org.memorag.engine.tensor.SafetensorsWriter;
import org.memorag.engine.tokenize.ChatMessage;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Runs a decoder folder on one prompt: prints the generated text, then {@code ids: a,b,c} (the
 * generated ids only); on stderr {@code timing: prefill_tokens=N prefill_ms=X decode_tokens=M
 * decode_ms=Y} (loading excluded). A debugging tool: people use it to check a model, our checks
 * compare its ids and dumped logits with transformers.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate from a Hugging Face decoder folder (Qwen2, Llama, Mistral).")
final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "Hugging Face model folder")
    Path model;

    static final class Input {
        @Option(names = "--prompt", required = true, description = "prompt text")
        String prompt;

        @Option(names = "--input-ids", required = true, split = ",",
                description = "comma-separated token ids, used exactly (no BOS, no template)")
        int[] inputIds;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(names = "--chat",
            description = "render --prompt as one user turn with the chat template")
    boolean chat;

    @Option(names = "--max-new-tokens", required = true, description = "tokens to generate at most")
    int maxNewTokens;

    @Option(names = "--greedy", description = "greedy decoding (the default)")
    boolean greedy;

    @Option(names = "--temperature", description = "sampling temperature (> 0 samples)")
    Double temperature;

    @Option(names = "--top-p", defaultValue = "1.0",
            description = "nucleus sampling mass (default 1.0)")
    double topP;

    @Option(names = "--top-k", defaultValue = "0",
            description = "keep the k most likely ids (0 = off)")
    int topK;

    @Option(names = "--repetition-penalty", defaultValue = "1.0",
            description = "HF repetition penalty")
    double repetitionPenalty;

    @Option(names = "--seed", defaultValue = "0", description = "sampling seed")
    long seed;

    @Option(names = "--device", defaultValue = "cpu",
            description = "cpu, gpu, gpu:N (optionally /f16, /f32)")
    String device;

    @Option(names = "--dump-logits",
            description = "write F32 tensor 'logits' [prompt_length, vocab] here")
    Path dumpLogits;

    @Override
    public Integer call() throws Exception {
        GenerationConfig config = config();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (DecoderLanguageModel lm = Decoders.load(model, Device.parse(device))) {
            int[] ids = promptIds(lm);
            DecoderLanguageModel.Result r = lm.generateDetailed(null, ids, config,
                    dumpLogits != null);
            if (dumpLogits != null) {
                writeLogits(r.promptLogits());
            }
            out.println(lm.detokenize(r.ids()));
            out.println("ids: " + Arrays.stream(r.ids()).mapToObj(String::valueOf)
                    .collect(Collectors.joining(",")));
            out.flush();
            err.println(String.format(Locale.ROOT,
                    "timing: prefill_tokens=%d prefill_ms=%.1f decode_tokens=%d decode_ms=%.1f",
                    r.prefillTokens(), r.prefillNanos() / 1e6, r.decodeTokens(),
                    r.decodeNanos() / 1e6));
            err.flush();
        }
        return 0;
    }

    private GenerationConfig config() {
        if (greedy && temperature != null) {
            throw new ParameterException(spec.commandLine(),
                    "--greedy and --temperature exclude each other");
        }
        if (chat && input.prompt == null) {
            throw new ParameterException(spec.commandLine(),
                    "--chat needs --prompt (ids are used as given)");
        }
        double t = temperature == null ? 0.0 : temperature;
        try {
            return new GenerationConfig(maxNewTokens, t, topP, topK, repetitionPenalty, seed,
                    List.of(), List.of());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage()
                    .replace("max_new_tokens", "--max-new-tokens").replace("top_p", "--top-p")
                    .replace("top_k", "--top-k")
                    .replace("repetition_penalty", "--repetition-penalty")
                    .replace("temperature", "--temperature"));
        }
    }

    private int[] promptIds(DecoderLanguageModel lm) {
        if (input.inputIds != null) {
            if (input.inputIds.length == 0) {
                throw new ParameterException(spec.commandLine(),
                        "--input-ids needs at least one id");
            }
            return input.inputIds;
        }
        if (chat) {
            return lm.tokenize(lm.renderChat(List.of(ChatMessage.user(input.prompt)), true));
        }
        int[] ids = lm.tokenize(input.prompt);
        // plain text gets BOS only when the tokenizer would add one itself (Llama's add_bos_token)
        var cfg = lm.tokenizer().config();
        var bos = lm.tokenizer().specialTokenId("bos_token");
        if (cfg.has("add_bos_token") && cfg.get("add_bos_token").getAsBoolean()
                && bos.isPresent()) {
            int[] with = new int[ids.length + 1];
            with[0] = bos.getAsInt();
            System.arraycopy(ids, 0, with, 1, ids.length);
            ids = with;
        }
        if (ids.length == 0) {
            throw new ParameterException(spec.commandLine(), "--prompt tokenizes to no ids");
        }
        return ids;
    }

    private void writeLogits(float[][] logits) throws java.io.IOException {
        int vocab = logits[0].length;
        float[] flat = new float[logits.length * vocab];
        for (int t = 0; t < logits.length; t++) {
            System.arraycopy(logits[t], 0, flat, t * vocab, vocab);
        }
        new SafetensorsWriter().metadata("model", model.getFileName().toString())
                .addFloats("logits", "F32", new long[] {logits.length, vocab}, flat)
                .writeTo(dumpLogits);
    }
}
