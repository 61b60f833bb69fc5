package org.memorag.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.memorag.rag.ErrorCode;
import org.memorag.rag.MemoragException;
import org.memorag.rag.Pipeline;
import org.memorag.rag.artifact.DocArtifacts;
import org.memorag.rag.config.MemoragConfig;
import org.memorag.rag.task.Answer;
import org.memorag.rag.task.Question;
import org.memorag.store.ArtifactStore;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code memorag ask}: one question about a memorized document, answer on stdout. */
@Command(name = "ask", mixinStandardHelpOptions = true,
        description = "Answer one question about a memorized document.")
final class AskCommand implements Callable<Integer> {
    @Option(names = "--store", required = true, paramLabel = "DIR",
            description = "store folder or URI the document was memorized into")
    String store;

    @Option(names = "--doc-id", required = true, paramLabel = "ID", description = "document id")
    String docId;

    @Option(names = "--question", paramLabel = "TEXT", description = "the question")
    String question;

    @Option(names = "--task", paramLabel = "TASK",
            description = "memorag (default), qa, rag or summarize (needs no --question)")
    String task;

    @Option(names = "--max-new-tokens", paramLabel = "N",
            description = "token budget of the answer (default tokens.final)")
    Integer maxNewTokens;

    @Option(names = "--prompt-template", paramLabel = "TEMPLATE",
            description = "custom final prompt with {context} and {input} (Python format)")
    String promptTemplate;

    @ArgGroup(exclusive = true)
    Output output = new Output();

    @Mixin
    ConfigOptions conf;

    @Spec
    CommandSpec spec;

    static final class Output {
        @Option(names = "--explain", description = "also print clues, queries and evidence")
        boolean explain;

        @Option(names = "--json", description = "print exactly one JSON object")
        boolean json;
    }

    @Override
    public Integer call() throws IOException {
        boolean summarize = "summarize".equalsIgnoreCase(task);
        if (question == null && !summarize) {
            throw new ParameterException(spec.commandLine(),
                    "give --question TEXT, or --task summarize");
        }
        MemoragConfig config = conf.build();
        Answer answer;
        try (ArtifactStore artifacts = ArtifactStore.open(store, new Configuration());
                Pipeline pipeline = Pipeline.open(config)) {
            String version = version(artifacts, pipeline);
            try (DocArtifacts doc = artifacts.load(docId, version,
                    pipeline::readMemory)) {
                answer = pipeline.ask(doc, new Question("cli", question, task, maxNewTokens,
                        promptTemplate));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.json) {
            out.println(AnswerPrinter.json(answer));
        } else if (output.explain) {
            out.print(AnswerPrinter.explain(answer));
        } else {
            out.println(answer.answer());
        }
        out.flush();
        return 0;
    }

    private String version(ArtifactStore artifacts, Pipeline pipeline) throws IOException {
        Optional<String> v = artifacts.latestVersion(docId, pipeline.modelsFingerprint());
        if (v.isPresent()) {
            return v.get();
        }
        List<String> others = artifacts.committedVersions(docId);
        if (others.isEmpty()) {
            throw new MemoragException(ErrorCode.UNKNOWN_DOC, "doc_id '" + docId + "' is not in"
                    + " the store " + artifacts.uri() + "; memorize it first");
        }
        throw new MemoragException(ErrorCode.MODEL_MISMATCH, "doc_id '" + docId + "' was"
                + " memorized with other models or settings (versions " + others + "); this"
                + " configuration gives models fingerprint " + pipeline.modelsFingerprint()
                + ". Pass the --conf it was memorized with, or memorize it again");
    }
}
