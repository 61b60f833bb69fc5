package org.memorag.engine.beacon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BeaconConfigTest {
    private static final String SRC = "ckpt/config.json";

    private static JsonObject json(String text) {
        return JsonParser.parseString(text).getAsJsonObject();
    }

    private static BeaconConfigException fails(String text) {
        return assertThrows(BeaconConfigException.class,
                () -> BeaconConfig.fromJson(json(text), SRC));
    }

    @Test
    void absentKeysTakeTheUpstreamClassDefaults() {
        BeaconConfig c = BeaconConfig.fromJson(json("{\"beacon_window\": 1024}"), SRC);
        assertEquals(1024, c.window());
        assertEquals(1024, c.stride());
        assertEquals(BeaconAttn.FULL_COVERAGE, c.attn());
        assertEquals(List.of(2, 4, 8, 16, 32), c.ratios());
        assertEquals(RatioMix.Kind.STEP_RANDOM, c.ratioMix().kind());
        assertEquals(Set.of(), c.param());
        assertEquals("eos", c.embedInit());
        assertEquals(0, c.sinkSize());
        assertTrue(c.attendPrev());
        assertEquals(BeaconPos.INTERLEAVE, c.pos());
        assertEquals(1, c.parallelWindow());
    }

    @Test
    void readsTheMemoryCheckpointsTrainingValues() {
        BeaconConfig c = BeaconConfig.fromJson(json("{\"beacon_window\": 2048, \"beacon_stride\":"
                + " 2048, \"beacon_attn\": \"full-coverage\", \"beacon_ratio\": [2, 4, 8],"
                + " \"beacon_ratio_mix\": \"step-random\", \"beacon_param\": [\"q\", \"k\", \"v\"],"
                + " \"beacon_sink_size\": 0, \"beacon_pos\": \"interleave\"}"), SRC);
        assertEquals(Set.of(BeaconProjection.Q, BeaconProjection.K, BeaconProjection.V),
                c.param());
        assertEquals(List.of(2, 4, 8), c.ratios());
        assertEquals(4, c.withRatio(4).singleRatio());
        assertEquals("qkv", c.toMetadata().get("beacon_param"));
        c.requireSupported(SRC);
    }

    @Test
    void aSingleRatioMayBeAPlainNumber() {
        assertEquals(List.of(8),
                BeaconConfig.fromJson(json("{\"beacon_ratio\": 8}"), SRC).ratios());
    }

    @Test
    void unknownAttentionPatternNamesTheKeyAndTheChoices() {
        BeaconConfigException e = fails("{\"beacon_attn\": \"sliding\"}");
        assertEquals("beacon_attn", e.key());
        assertTrue(e.getMessage().startsWith(SRC + ": beacon_attn: unknown value 'sliding'"),
                e.getMessage());
        assertTrue(e.getMessage().contains("full-coverage, step-expansion, segmentation"));
    }

    @Test
    void unknownRatioMixPosAndParamAreRejected() {
        assertEquals("beacon_ratio_mix", fails("{\"beacon_ratio_mix\": \"adapt-x\"}").key());
        assertEquals("beacon_ratio_mix", fails("{\"beacon_ratio_mix\": \"random\"}").key());
        assertEquals("beacon_pos", fails("{\"beacon_pos\": \"prepend\"}").key());
        assertEquals("beacon_param", fails("{\"beacon_param\": [\"q\", \"x\"]}").key());
        assertEquals("beacon_param", fails("{\"beacon_param\": \"qkv\"}").key());
        assertEquals(RatioMix.Kind.ADAPT, BeaconConfig.fromJson(
                json("{\"beacon_ratio_mix\": \"adapt-1024\"}"), SRC).ratioMix().kind());
    }

    @Test
    void ratioThatDoesNotDivideTheStrideIsAConfigError() {
        BeaconConfigException e = fails("{\"beacon_window\": 8, \"beacon_stride\": 8,"
                + " \"beacon_ratio\": [3]}");
        assertEquals("beacon_ratio", e.key());
        assertTrue(e.getMessage().contains("ratio 3 must divide beacon_stride 8"), e.getMessage());
        assertTrue(e.getMessage().startsWith(SRC), e.getMessage());
        assertEquals("beacon_ratio", fails("{\"beacon_ratio\": [-1]}").key());
        assertEquals("beacon_ratio", fails("{\"beacon_ratio\": []}").key());
        assertEquals("beacon_ratio", fails("{\"beacon_window\": 8, \"beacon_stride\": 8,"
                + " \"beacon_ratio\": [3, 5, 16]}").key());
    }

    @Test
    void listsDropRatiosThatDoNotFitTheStrideAsUpstreamDoes() {
        BeaconConfig c = BeaconConfig.fromJson(json("{\"beacon_window\": 8, \"beacon_stride\": 8,"
                + " \"beacon_ratio\": [0, 2, 3, 16]}"), SRC);
        assertEquals(List.of(0, 2), c.allowedRatios());
    }

    @Test
    void windowStrideAndPositionRulesOfPostValidation() {
        assertEquals("beacon_stride", fails("{\"beacon_window\": 8, \"beacon_stride\": 16}").key());
        assertEquals("beacon_stride", fails("{\"beacon_window\": 16, \"beacon_stride\": 8}").key());
        BeaconConfig append = BeaconConfig.fromJson(json("{\"beacon_window\": 16,"
                + " \"beacon_stride\": 8, \"beacon_pos\": \"append\", \"beacon_ratio\": [4]}"),
                SRC);
        assertEquals("beacon_stride", assertThrows(BeaconConfigException.class,
                () -> append.requireSupported(SRC)).key());
        assertEquals("beacon_window", fails("{\"beacon_window\": 0}").key());
        assertEquals("beacon_window", fails("{\"beacon_window\": \"2048\"}").key());
        assertEquals("beacon_attend_prev", fails("{\"beacon_attend_prev\": 1}").key());
    }

    @Test
    void settingsOutsideThePortScopeAreRejectedByName() {
        for (String bad : List.of("{\"beacon_attn\": \"step-expansion\"}",
                "{\"beacon_attn\": \"segmentation\"}", "{\"beacon_sink_size\": 4}",
                "{\"beacon_parallel_window\": 2}")) {
            BeaconConfig c = BeaconConfig.fromJson(json(bad), SRC);
            BeaconConfigException e = assertThrows(BeaconConfigException.class,
                    () -> c.requireSupported(SRC));
            assertTrue(e.getMessage().contains("unsupported"), e.getMessage());
            assertTrue(bad.contains(e.key()), e.key() + " vs " + bad);
        }
    }

    @Test
    void unknownBeaconKeysFailLoudly() {
        BeaconConfigException e = fails("{\"beacon_window\": 8, \"beacon_foo\": 1}");
        assertEquals("beacon_foo", e.key());
    }

    @Test
    void beaconCheckpointsAreRecognisedByTheirConfigNotTheirName() {
        assertTrue(BeaconConfig.isBeaconConfig(json("{\"beacon_window\": 2048}")));
        assertTrue(BeaconConfig.isBeaconConfig(
                json("{\"architectures\": [\"Qwen2BeaconForCausalLM\"]}")));
        assertFalse(BeaconConfig.isBeaconConfig(json("{\"_name_or_path\": \"memorag-qwen2\","
                + " \"architectures\": [\"Qwen2ForCausalLM\"]}")));
    }
}
