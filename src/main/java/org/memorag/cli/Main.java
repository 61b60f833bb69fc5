package org.memorag.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The memorag command line: one subcommand per verb. */
@Command(name = "memorag", mixinStandardHelpOptions = true,
        description = "MemoRAG on Spark: memory-augmented RAG over long documents.",
        subcommands = {GenerateCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "name a command, e.g. generate");
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
