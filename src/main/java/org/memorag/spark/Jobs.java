package org.memorag.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.substring_index;

import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Small table summaries the jobs put in their run summary. */
final class Jobs {
    private Jobs() {}

    /** Row count per value of {@code column} (null counted as "null"). */
    static Map<String, Long> countBy(Dataset<Row> table, String column) {
        Map<String, Long> out = new TreeMap<>();
        for (Row r : table.groupBy(col(column)).count().collectAsList()) {
            out.put(r.isNullAt(0) ? "null" : r.get(0).toString(), r.getLong(1));
        }
        return out;
    }

    /** Row count per error code (the text before the first ':' of {@code error}). */
    static Map<String, Long> errorCodes(Dataset<Row> table) {
        Map<String, Long> out = new TreeMap<>();
        for (Row r : table.filter(col(Rows.ERROR).isNotNull())
                .groupBy(substring_index(col(Rows.ERROR), ":", 1)).count().collectAsList()) {
            out.put(r.getString(0), r.getLong(1));
        }
        return out;
    }
}
