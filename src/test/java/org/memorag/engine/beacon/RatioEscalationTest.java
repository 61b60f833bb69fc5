package org.memorag.engine.beacon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RatioEscalationTest {
    private static final long QWEN2_SLOT = BeaconMath.slotBytes(28, 4, 128, 2);

    private static BeaconConfig qwen2(int ratio) {
        return new BeaconConfig(2048, 2048, BeaconAttn.FULL_COVERAGE, List.of(ratio),
                new RatioMix(RatioMix.Kind.STEP_RANDOM, 0), Set.of(), "eos", 0, true,
                BeaconPos.INTERLEAVE, 1);
    }

    @Test
    void slotBytesMatchTheSpecTable() {
        assertEquals(57_344, QWEN2_SLOT);
        assertEquals(131_072, BeaconMath.slotBytes(32, 8, 128, 2));
    }

    @Test
    void keepsTheConfiguredRatioWhenTheMemoryFits() {
        RatioChoice c = RatioEscalation.choose(qwen2(4), 122_591, QWEN2_SLOT, 4L << 30, null,
                32768);
        assertEquals(4, c.chosen());
        assertFalse(c.escalated());
        assertEquals(BeaconMath.slots(122_591, 2048, 4, BeaconPos.INTERLEAVE) * QWEN2_SLOT,
                c.bytes());
        assertFalse(c.exceedsPositions(), "122,591 < 124,928 tokens at r=4");
    }

    @Test
    void picksTheSmallestLargerRatioThatFitsTheBudget() {
        long tokens = 1_000_000;
        long at8 = BeaconMath.slots(tokens, 2048, 8, BeaconPos.INTERLEAVE) * QWEN2_SLOT;
        long at16 = BeaconMath.slots(tokens, 2048, 16, BeaconPos.INTERLEAVE) * QWEN2_SLOT;
        RatioChoice c = RatioEscalation.choose(qwen2(4), tokens, QWEN2_SLOT, at8, null, 32768);
        assertEquals(8, c.chosen());
        assertTrue(c.escalated());
        assertEquals("8", c.toMetadata().get("beacon_ratio_used"));
        assertEquals("4", c.toMetadata().get("beacon_ratio_configured"));
        assertEquals("true", c.toMetadata().get("beacon_ratio_escalated"));
        assertEquals(16, RatioEscalation.choose(qwen2(4), tokens, QWEN2_SLOT, at8 - 1, null, 0)
                .chosen());
        assertEquals(16, RatioEscalation.choose(qwen2(4), tokens, QWEN2_SLOT, at16, null, 0)
                .chosen());
        assertEquals(32, RatioEscalation.choose(qwen2(4), tokens, QWEN2_SLOT, at16 - 1,
                List.of(2, 4, 8, 16, 32), 0).chosen());
    }

    @Test
    void boundaryIsExactlyTheByteBudget() {
        long tokens = 8192;
        long at4 = BeaconMath.slots(tokens, 2048, 4, BeaconPos.INTERLEAVE) * QWEN2_SLOT;
        assertEquals(4, RatioEscalation.choose(qwen2(4), tokens, QWEN2_SLOT, at4, null, 0)
                .chosen());
        assertEquals(8, RatioEscalation.choose(qwen2(4), tokens, QWEN2_SLOT, at4 - 1, null, 0)
                .chosen());
    }

    @Test
    void tooLargeForEveryRatioIsAClearError() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RatioEscalation.choose(qwen2(4), 1_000_000, QWEN2_SLOT, 1 << 20,
                        List.of(4, 8, 16), 0));
        assertTrue(e.getMessage().contains("even at ratio 16"), e.getMessage());
        assertTrue(e.getMessage().contains("Raise the memory budget"), e.getMessage());
    }

    @Test
    void ratioZeroEscalatesToCompression() {
        long tokens = 10_000;
        RatioChoice c = RatioEscalation.choose(qwen2(0), tokens, QWEN2_SLOT,
                tokens * QWEN2_SLOT - 1, null, 0);
        assertTrue(c.chosen() > 1, "ratio " + c.chosen());
    }

    @Test
    void positionCapacityWarningAtTheAdaptCapacity() {
        assertTrue(RatioEscalation.choose(qwen2(4), 124_929, QWEN2_SLOT, 0, null, 32768)
                .exceedsPositions());
        assertFalse(RatioEscalation.choose(qwen2(4), 124_928, QWEN2_SLOT, 0, null, 32768)
                .exceedsPositions());
    }
}
