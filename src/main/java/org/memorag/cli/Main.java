package org.memorag.cli;

import java.io.PrintWriter;
import org.memorag.rag.MemoragException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The memorag command line: one subcommand per verb. The only place that exits the JVM. */
@Command(name = "memorag", mixinStandardHelpOptions = true,
        description = "MemoRAG over long documents in one JVM: memorize, then ask (and generate).",
        subcommands = {MemorizeCommand.class, AskCommand.class, GenerateCommand.class,
            AnswersCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command");
    }

    /** A command line that prints an actionable one-line error (no stack trace) for bad input. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (e instanceof MemoragException || e instanceof IllegalArgumentException) {
                err.println("memorag " + commandLine.getCommandName() + ": " + e.getMessage());
            } else {
                err.println("memorag " + commandLine.getCommandName() + " failed: " + e);
                e.printStackTrace(err);
            }
            err.flush();
            return 1;
        });
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
