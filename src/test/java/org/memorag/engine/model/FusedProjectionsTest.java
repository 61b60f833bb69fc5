package org.memorag.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memorag.engine.tensor.Device;
import org.memorag.testing.TinyCheckpoint;

/** The joined q|k|v and gate|up weights and the per-projection views engine.beacon reads. */
class FusedProjectionsTest {
    @Test
    void separateWeightsAreViewsOfTheJoinedOnesNotCopies(@TempDir Path dir) throws IOException {
        Path d = TinyCheckpoint.qwen2().layers(1).seed(7).writeTo(dir);
        try (Qwen2 q = (Qwen2) Decoders.loadDecoder(d, Device.cpu());
                NDManager scope = NDManager.newBaseManager("PyTorch")) {  // weights' is capped
            Qwen2.Layer w = q.weights(0);
            FusedProjections f = w.fused();
            long qDim = w.qProj().getShape().get(1);
            long kvDim = w.kProj().getShape().get(1);
            assertEquals(qDim + 2 * kvDim, f.qkv().getShape().get(1));
            assertArrayEquals(column(scope, f.qkv(), qDim + kvDim + 1), column(scope, w.vProj(), 1));
            assertArrayEquals(row(scope, f.qkvBias(), qDim, qDim + kvDim), w.kBias().toFloatArray());
            long inter = w.gateProj().getShape().get(1);
            assertArrayEquals(column(scope, f.gateUp(), inter + 2), column(scope, w.upProj(), 2));
            // a write through the joined tensor shows in the view: they share storage
            f.qkv().set(new NDIndex("0, {}", qDim), scope.create(42f));
            assertEquals(42f, w.kProj().get(scope, new NDIndex("0, 0")).getFloat());
            f.gateUp().set(new NDIndex("1, 0"), scope.create(-3f));
            assertEquals(-3f, w.gateProj().get(scope, new NDIndex("1, 0")).getFloat());
        }
    }

    @Test
    void llamaWithoutBiasesHasNoJoinedBias(@TempDir Path dir) throws IOException {
        Path d = TinyCheckpoint.llama().layers(1).seed(9).writeTo(dir);
        try (Llama l = (Llama) Decoders.loadDecoder(d, Device.cpu())) {
            assertNull(l.weights(0).fused().qkvBias());
            assertNull(l.weights(0).qBias());
        }
    }

    private static float[] column(NDManager scope, NDArray w, long c) {
        return w.get(scope, new NDIndex(":, {}", c)).toFloatArray();
    }

    private static float[] row(NDManager scope, NDArray b, long from, long to) {
        return b.get(scope, new NDIndex("{}:{}", from, to)).toFloatArray();
    }
}
