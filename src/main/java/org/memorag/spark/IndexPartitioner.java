package org.memorag.spark;

import org.apache.spark.Partitioner;

/** Sends a row keyed by a partition number to exactly that partition (after LengthBalancer). */
public final class IndexPartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int partitions;

    public IndexPartitioner(int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        }
        this.partitions = partitions;
    }

    @Override
    public int numPartitions() {
        return partitions;
    }

    @Override
    public int getPartition(Object key) {
        int p = (Integer) key;
        if (p < 0 || p >= partitions) {
            throw new IllegalArgumentException("partition " + p + " outside 0.." + (partitions - 1));
        }
        return p;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IndexPartitioner other && other.partitions == partitions;
    }

    @Override
    public int hashCode() {
        return partitions;
    }
}
