package org.memorag.spark;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * The job's counters, as Spark accumulators that tasks add to: documents memorized (and skipped),
 * tokens memorized, questions answered, failed rows and artifact bytes written. Serializable, so
 * partition functions carry it; the driver reads the totals for progress lines and the summary.
 */
public final class Progress implements Serializable {
    private static final long serialVersionUID = 1L;

    private final LongAccumulator documents;
    private final LongAccumulator skipped;
    private final LongAccumulator tokensMemorized;
    private final LongAccumulator questionsAnswered;
    private final LongAccumulator failures;
    private final LongAccumulator bytesWritten;

    private Progress(SparkContext sc) {
        documents = sc.longAccumulator("memorag.documents");
        skipped = sc.longAccumulator("memorag.documents_skipped");
        tokensMemorized = sc.longAccumulator("memorag.tokens_memorized");
        questionsAnswered = sc.longAccumulator("memorag.questions_answered");
        failures = sc.longAccumulator("memorag.failures");
        bytesWritten = sc.longAccumulator("memorag.bytes_written");
    }

    /** New counters registered with {@code sc} (on the driver). */
    public static Progress create(SparkContext sc) {
        return new Progress(sc);
    }

    /** A document memorized: its token count and the artifact bytes written for it. */
    public void memorized(long tokens, long bytes) {
        documents.add(1);
        tokensMemorized.add(tokens);
        bytesWritten.add(bytes);
    }

    /** A document whose version was already committed. */
    public void skipped() {
        skipped.add(1);
    }

    /** A question answered (status ok). */
    public void answered() {
        questionsAnswered.add(1);
    }

    /** A row that became status=error (input, memorize or answer failure). */
    public void failed() {
        failures.add(1);
    }

    /** The totals so far, in a fixed order (driver side). */
    public Map<String, Long> totals() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("documents", documents.value());
        m.put("documents_skipped", skipped.value());
        m.put("tokens_memorized", tokensMemorized.value());
        m.put("questions_answered", questionsAnswered.value());
        m.put("failures", failures.value());
        m.put("bytes_written", bytesWritten.value());
        return m;
    }

    /** The totals as "key=value" pairs for a log line. */
    public String line() {
        StringBuilder sb = new StringBuilder();
        totals().forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=')
                .append(v));
        return sb.toString();
    }
}
