package org.memorag.engine.beacon;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pre-flight size check of a beacon memory (BEACON_SPEC §2.11, Q35, Q36, T24): given the
 * document's token count, the bytes one memory slot takes and the device budget, picks the
 * smallest allowed ratio at least the configured one whose memory fits, and logs when that is
 * larger than configured. Upstream has no such check (it runs out of memory).
 */
public final class RatioEscalation {
    private static final Logger log = LoggerFactory.getLogger(RatioEscalation.class);

    private RatioEscalation() {}

    /**
     * Ratios a window of {@code stride} tokens can use: powers of two dividing it, plus the
     * configured ratio. (The checkpoints were trained with [2,4,8]; MemoRAG's README runs qwen2 at
     * 16 for 1M tokens, so the candidates are not limited to the trained list.)
     */
    public static List<Integer> defaultCandidates(int stride, int configured) {
        TreeSet<Integer> out = new TreeSet<>();
        for (int r = 1; r <= stride; r *= 2) {
            if (stride % r == 0) {
                out.add(r);
            }
        }
        out.add(configured);
        return new ArrayList<>(out);
    }

    /**
     * Chooses the ratio for a document.
     *
     * @param config        beacon settings with one ratio (the configured one)
     * @param tokens        raw tokens to memorize (add the expected question length if the
     *                      questions must fit too)
     * @param slotBytes     bytes of one slot over all layers ({@link BeaconMath#slotBytes})
     * @param budgetBytes   device memory allowed for this memory; 0 or less = unlimited
     * @param candidates    allowed ratios (null = {@link #defaultCandidates})
     * @param positionLimit max_position_embeddings × rope factor, or 0 if unknown
     */
    public static RatioChoice choose(BeaconConfig config, long tokens, long slotBytes,
            long budgetBytes, List<Integer> candidates, long positionLimit) {
        int configured = config.singleRatio();
        List<Integer> allowed = candidates != null ? candidates
                : defaultCandidates(config.stride(), configured);
        TreeSet<Integer> ordered = new TreeSet<>(allowed);
        ordered.add(configured);
        List<Integer> tried = new ArrayList<>();
        RatioChoice best = null;
        for (int r : ordered) {
            boolean weaker = configured > 0 && r < configured;
            if (weaker || (r > 0 && config.stride() % r != 0)) {
                continue;
            }
            long slots = BeaconMath.slots(tokens, config.window(), r, config.pos());
            long bytes = BeaconMath.bytes(slots, slotBytes);
            long cap = positionLimit > 0 ? BeaconMath.capacity(positionLimit, config.window(), r)
                    : 0;
            if (budgetBytes <= 0 || bytes <= budgetBytes) {
                best = new RatioChoice(configured, r, tokens, slots, bytes,
                        Math.max(budgetBytes, 0), cap);
                break;
            }
            tried.add(r);
        }
        if (best == null) {
            int last = tried.get(tried.size() - 1);
            long needed = BeaconMath.slots(tokens, config.window(), last, config.pos())
                    * slotBytes;
            throw new IllegalStateException("beacon memory of " + tokens + " tokens needs "
                    + needed + " bytes even at ratio " + last + " (tried " + tried + "); the"
                    + " memory budget is " + budgetBytes + " bytes. Raise the memory budget,"
                    + " allow a larger beacon ratio or split the document.");
        }
        if (best.escalated()) {
            log.info("beacon ratio escalated from={} to={} tokens={} bytes={} budget_bytes={}",
                    configured, best.chosen(), tokens, best.bytes(), budgetBytes);
        }
        if (best.exceedsPositions()) {
            log.warn("beacon memory of tokens={} at ratio={} uses positions beyond"
                    + " max_position_embeddings (capacity {} tokens): RoPE extrapolates, as"
                    + " upstream", tokens, best.chosen(), best.positionCapacity());
        }
        return best;
    }
}
