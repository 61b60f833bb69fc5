package org.memorag.spark;

import java.io.Serializable;
import java.util.Comparator;
import java.util.Objects;
import org.apache.spark.Partitioner;

/**
 * The shuffle key of an answer row: the task it goes to, then doc_id and input order, so each
 * task sees its documents' questions together and in order (one artifact load per document).
 */
record TaskKey(int partition, String docId, long rowIndex)
        implements Comparable<TaskKey>, Serializable {
    private static final Comparator<TaskKey> ORDER = Comparator.comparingInt(TaskKey::partition)
            .thenComparing(TaskKey::docId, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparingLong(TaskKey::rowIndex);

    @Override
    public int compareTo(TaskKey o) {
        return ORDER.compare(this, o);
    }

    /** Sends a key to its {@link #partition()}. */
    static final class ByPartition extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final IndexPartitioner exact;

        ByPartition(int partitions) {
            this.exact = new IndexPartitioner(partitions);
        }

        @Override
        public int numPartitions() {
            return exact.numPartitions();
        }

        @Override
        public int getPartition(Object key) {
            return exact.getPartition(((TaskKey) key).partition());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ByPartition b && b.numPartitions() == numPartitions();
        }

        @Override
        public int hashCode() {
            return Objects.hash("answer-tasks", numPartitions());
        }
    }
}
