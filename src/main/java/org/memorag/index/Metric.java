package org.memorag.index;

import java.util.Locale;

/**
 * Similarity a {@link FaissIndex} ranks by, with its FAISS code ({@code faiss::MetricType}).
 */
public enum Metric {
    /** Inner product: scores are dot products, higher is closer (cosine for unit vectors). */
    IP(0),
    /** Euclidean: scores are squared L2 distances, lower is closer. */
    L2(1);

    private final int faissCode;

    Metric(int faissCode) {
        this.faissCode = faissCode;
    }

    /** The value of {@code faiss::MetricType} for this metric. */
    int faissCode() {
        return faissCode;
    }

    /** True when a higher score means a closer vector (IP), false when lower does (L2). */
    public boolean higherIsCloser() {
        return this == IP;
    }

    /** The metric of FAISS code {@code code}; a FaissException names an unsupported one. */
    static Metric fromFaissCode(int code) {
        for (Metric m : values()) {
            if (m.faissCode == code) {
                return m;
            }
        }
        throw new FaissException("the index uses FAISS metric type " + code
                + ", which this binding does not support; use an index built with"
                + " METRIC_INNER_PRODUCT (IP) or METRIC_L2 (L2)");
    }

    /**
     * Parses a metric name from configuration: "ip", "inner_product", "cosine" (for unit vectors)
     * or "l2", in any case.
     */
    public static Metric parse(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "ip":
            case "inner_product":
            case "cosine":
                return IP;
            case "l2":
                return L2;
            default:
                throw new IllegalArgumentException("unknown metric '" + name
                        + "'; use 'ip' (inner product, cosine for unit vectors) or 'l2'");
        }
    }
}
