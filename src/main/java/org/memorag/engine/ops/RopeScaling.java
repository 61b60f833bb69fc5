package org.memorag.engine.ops;

import java.io.Serializable;

/**
 * The "llama3" rope_scaling of config.json (Llama 3.1/3.2): frequencies whose wavelength exceeds
 * {@code originalMaxPositionEmbeddings / lowFreqFactor} are divided by {@code factor}, those below
 * {@code originalMaxPositionEmbeddings / highFreqFactor} are kept, and the band between is
 * interpolated smoothly (transformers _compute_llama3_parameters; attention scaling stays 1).
 */
public record RopeScaling(double factor, double lowFreqFactor, double highFreqFactor,
        int originalMaxPositionEmbeddings) implements Serializable {
    public RopeScaling {
        if (!(factor > 0) || !(lowFreqFactor > 0) || !(highFreqFactor > lowFreqFactor)
                || originalMaxPositionEmbeddings <= 0) {
            throw new IllegalArgumentException("rope_scaling llama3: need factor > 0,"
                    + " 0 < low_freq_factor < high_freq_factor and"
                    + " original_max_position_embeddings > 0, got factor="
                    + factor
                    + " low_freq_factor=" + lowFreqFactor + " high_freq_factor=" + highFreqFactor
                    + " original_max_position_embeddings=" + originalMaxPositionEmbeddings);
        }
    }

    /** The scaled inverse frequency of one unscaled {@code invFreq}. */
    public double apply(double invFreq) {
        double wavelen = 2 * Math.PI / invFreq;
        double lowFreqWavelen = originalMaxPositionEmbeddings / lowFreqFactor;
        double highFreqWavelen = originalMaxPositionEmbeddings / highFreqFactor;
        if (wavelen > lowFreqWavelen) {
            return invFreq / factor;
        }
        if (wavelen < highFreqWavelen) {
            return invFreq;
        }
        double smooth = (originalMaxPositionEmbeddings / wavelen - lowFreqFactor)
                / (highFreqFactor - lowFreqFactor);
        return (1 - smooth) * invFreq / factor + smooth * invFreq;
    }
}
