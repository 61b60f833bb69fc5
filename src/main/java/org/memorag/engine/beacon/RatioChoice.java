package org.memorag.engine.beacon;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ratio a document is memorized with and why: the configured one, or a larger one picked
 * because the memory would not fit the device budget (BEACON_SPEC Q35/Q36, T24). Recorded in the
 * memory's metadata and the manifest.
 *
 * @param configured        the ratio asked for (config.json or override)
 * @param chosen            the ratio used
 * @param tokens            raw tokens the estimate is for
 * @param slots             memory slots at {@code chosen} (§2.11)
 * @param bytes             key/value bytes at {@code chosen}
 * @param budgetBytes       the budget checked against (0 = none)
 * @param positionCapacity  raw tokens {@code chosen} keeps within the position limit (0 = unknown)
 */
public record RatioChoice(int configured, int chosen, long tokens, long slots, long bytes,
        long budgetBytes, long positionCapacity) {

    /** True when the engine raised the ratio to fit the budget. */
    public boolean escalated() {
        return chosen != configured;
    }

    /** True when positions will pass max_position_embeddings (RoPE extrapolates, Q35). */
    public boolean exceedsPositions() {
        return positionCapacity > 0 && tokens > positionCapacity;
    }

    /** Key/value pairs for the manifest. */
    public Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("beacon_ratio_configured", Integer.toString(configured));
        m.put("beacon_ratio_used", Integer.toString(chosen));
        m.put("beacon_ratio_escalated", Boolean.toString(escalated()));
        m.put("memory_budget_bytes", Long.toString(budgetBytes));
        m.put("memory_estimated_bytes", Long.toString(bytes));
        return m;
    }
}
