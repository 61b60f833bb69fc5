package org.memorag.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.schema.GroupType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code memorag answers}: a person's look at an answers table written by the answer job —
 * counts by status, how many answers contain one of the gold answers, and the first rows.
 */
@Command(name = "answers", mixinStandardHelpOptions = true,
        description = "Print an answers Parquet folder (written by jobs/answer.sh) for a person.")
final class AnswersCommand implements Callable<Integer> {
    @Option(names = "--in", required = true, paramLabel = "DIR",
            description = "answers folder or URI (the --out of jobs/answer.sh)")
    String in;

    @Option(names = "--limit", defaultValue = "5", paramLabel = "N",
            description = "rows to print in full (default ${DEFAULT-VALUE})")
    int limit;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (limit < 0) {
            throw new ParameterException(spec.commandLine(), "--limit must be >= 0");
        }
        List<Group> rows = read(new Path(in));
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Integer> byStatus = new TreeMap<>();
        int withGold = 0;
        int containsGold = 0;
        for (Group row : rows) {
            byStatus.merge(text(row, "status"), 1, Integer::sum);
            List<String> gold = strings(row, "gold_answers");
            if (!gold.isEmpty()) {
                withGold++;
                String answer = normalise(text(row, "answer"));
                if (gold.stream().map(AnswersCommand::normalise)
                        .anyMatch(g -> !g.isEmpty() && answer.contains(g))) {
                    containsGold++;
                }
            }
        }
        out.printf("%d answers in %s; by status: %s%n", rows.size(), in, byStatus);
        if (withGold > 0) {
            out.printf("answers that contain a gold answer (normalised substring): %d of %d%n",
                    containsGold, withGold);
        }
        for (Group row : rows.subList(0, Math.min(limit, rows.size()))) {
            out.println();
            out.printf("[%s] %s  (%s, %s)%n", text(row, "question_id"), text(row, "question"),
                    text(row, "task_type"), text(row, "status"));
            String error = text(row, "error");
            if (!error.isEmpty()) {
                out.println("  error:    " + error);
            }
            out.println("  answer:   " + shorten(text(row, "answer"), 300));
            List<String> gold = strings(row, "gold_answers");
            if (!gold.isEmpty()) {
                out.println("  gold:     " + shorten(String.join(" | ", gold), 300));
            }
            out.println("  evidence: chunks " + evidenceIds(row));
        }
        out.flush();
        return 0;
    }

    private static List<Group> read(Path dir) throws IOException {
        Configuration conf = new Configuration();
        FileSystem fs = dir.getFileSystem(conf);
        if (!fs.exists(dir)) {
            throw new IllegalArgumentException(dir + " does not exist: give the --out folder of"
                    + " jobs/answer.sh");
        }
        List<Path> files = new ArrayList<>();
        for (FileStatus s : fs.listStatus(dir)) {
            String name = s.getPath().getName();
            if (s.isFile() && name.endsWith(".parquet") && !name.startsWith("_")
                    && !name.startsWith(".")) {
                files.add(s.getPath());
            }
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException(dir + " holds no .parquet files: is it an"
                    + " answers folder written by jobs/answer.sh?");
        }
        files.sort(null);
        List<Group> rows = new ArrayList<>();
        for (Path f : files) {
            try (ParquetReader<Group> reader =
                    ParquetReader.builder(new GroupReadSupport(), f).withConf(conf).build()) {
                for (Group g = reader.read(); g != null; g = reader.read()) {
                    rows.add(g);
                }
            }
        }
        return rows;
    }

    /** A string column, "" when null or absent. */
    private static String text(Group row, String field) {
        GroupType type = row.getType();
        if (!type.containsField(field) || row.getFieldRepetitionCount(field) == 0) {
            return "";
        }
        return row.getString(field, 0);
    }

    /** An array<string> column in Spark's three-level list layout (field / list / element). */
    private static List<String> strings(Group row, String field) {
        List<String> values = new ArrayList<>();
        for (Group element : elements(row, field)) {
            if (element.getFieldRepetitionCount(0) > 0) {
                values.add(element.getString(0, 0));
            }
        }
        return values;
    }

    private static List<Integer> evidenceIds(Group row) {
        List<Integer> ids = new ArrayList<>();
        for (Group element : elements(row, "evidence")) {
            Group evidence = element.getGroup(0, 0);
            if (evidence.getFieldRepetitionCount("chunk_id") > 0) {
                ids.add(evidence.getInteger("chunk_id", 0));
            }
        }
        return ids;
    }

    private static List<Group> elements(Group row, String field) {
        List<Group> out = new ArrayList<>();
        if (!row.getType().containsField(field) || row.getFieldRepetitionCount(field) == 0) {
            return out;
        }
        Group list = row.getGroup(field, 0);
        for (int i = 0; i < list.getFieldRepetitionCount(0); i++) {
            out.add(list.getGroup(0, i));
        }
        return out;
    }

    /** Lower case, letters and digits only, single spaces (SQuAD-style, articles kept). */
    static String normalise(String s) {
        String folded = Normalizer.normalize(s, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        return folded.replaceAll("[^\\p{L}\\p{N}]+", " ").trim();
    }

    private static String shorten(String s, int max) {
        String oneLine = s.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max) + " …";
    }
}
