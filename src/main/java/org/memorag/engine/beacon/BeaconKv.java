package org.memorag.engine.beacon;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.memorag.engine.ops.KvSegment;

/**
 * The key/value tensors of one beacon stream, per layer (BEACON_SPEC §2.5, §2.9, §2.10):
 * <ul>
 * <li>memory: the compacted beacons of closed windows, keys stored <em>rotated</em> at their
 *     compacted positions {@code 0..M−1} (those positions never change, §2.9), values;</li>
 * <li>open window: its cached slots (raw tokens and interleaved beacons), keys both before RoPE
 *     (needed to re-rotate the kept beacons at compaction) and rotated at {@code M + i} (positions
 *     fixed while the window is open), values.</li>
 * </ul>
 * A fork ({@link #fork}) reads its base's memory without copying it (copy-on-write overlay for
 * questions, Q7) and owns a copy of the base's small open window. Owns native memory.
 */
public final class BeaconKv implements AutoCloseable {
    private final NDManager manager;
    private final BeaconKv base;
    private final int baseSlots;
    private final int layers;
    private final int kvHeads;
    private final int headDim;
    private final DataType dtype;
    private final NDArray[] memK;
    private final NDArray[] memV;
    private final NDArray[] openKPre;
    private final NDArray[] openKRot;
    private final NDArray[] openV;
    private int memCapacity;
    private int memLength;
    private int openCapacity;
    private int openLength;

    private BeaconKv(NDManager manager, BeaconKv base, int layers, int kvHeads, int headDim,
            DataType dtype, int openCapacity) {
        this.manager = manager;
        this.base = base;
        this.baseSlots = base == null ? 0 : base.memorySlots();
        this.layers = layers;
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.dtype = dtype;
        memK = new NDArray[layers];
        memV = new NDArray[layers];
        openKPre = new NDArray[layers];
        openKRot = new NDArray[layers];
        openV = new NDArray[layers];
        this.openCapacity = openCapacity;
        for (int l = 0; l < layers; l++) {
            openKPre[l] = manager.zeros(shape(openCapacity), dtype);
            openKRot[l] = manager.zeros(shape(openCapacity), dtype);
            openV[l] = manager.zeros(shape(openCapacity), dtype);
        }
    }

    /** An empty stream's tensors; {@code openCapacity} = slots of a full open window. */
    public static BeaconKv create(ai.djl.Device device, int layers, int kvHeads, int headDim,
            DataType dtype, int openCapacity) {
        return new BeaconKv(NDManager.newBaseManager(device, "PyTorch"), null, layers, kvHeads,
                headDim, dtype, openCapacity);
    }

    /**
     * An overlay reading this memory unchanged, with its own copy of the open window. Close the
     * fork before its base.
     */
    public BeaconKv fork() {
        BeaconKv f = new BeaconKv(NDManager.newBaseManager(manager.getDevice(), "PyTorch"), this,
                layers, kvHeads, headDim, dtype, openCapacity);
        if (openLength > 0) {
            NDIndex filled = filled(openLength);
            try (NDManager tmp = manager.newSubManager()) {
                for (int l = 0; l < layers; l++) {
                    f.openKPre[l].set(filled, openKPre[l].get(tmp, filled));
                    f.openKRot[l].set(filled, openKRot[l].get(tmp, filled));
                    f.openV[l].set(filled, openV[l].get(tmp, filled));
                }
            }
        }
        f.openLength = openLength;
        return f;
    }

    private Shape shape(int n) {
        return new Shape(kvHeads, n, headDim);
    }

    private static NDIndex filled(int n) {
        return new NDIndex(":, 0:{}, :", n);
    }

    public NDManager manager() {
        return manager;
    }

    /** Compacted memory slots: the base's and this overlay's. */
    public int memorySlots() {
        return baseSlots + memLength;
    }

    /** Cached slots of the open window. */
    public int openSlots() {
        return openLength;
    }

    /** Memory segments of {@code layer} (base first), views owned by {@code scope}. */
    public List<KvSegment> memorySegments(NDManager scope, int layer) {
        List<KvSegment> out = new ArrayList<>();
        if (base != null) {
            out.addAll(base.memorySegmentsUpTo(scope, layer, baseSlots));
        }
        if (memLength > 0) {
            out.add(KvSegment.ofSlots(scope, memK[layer], memV[layer], 0, memLength));
        }
        return out;
    }

    private List<KvSegment> memorySegmentsUpTo(NDManager scope, int layer, int slots) {
        List<KvSegment> out = new ArrayList<>();
        int fromBase = base == null ? 0 : baseSlots;
        if (base != null) {
            out.addAll(base.memorySegmentsUpTo(scope, layer, Math.min(slots, fromBase)));
        }
        int own = slots - fromBase;
        if (own > 0) {
            out.add(KvSegment.ofSlots(scope, memK[layer], memV[layer], 0, own));
        }
        return out;
    }

    /**
     * Writes a step's K/V {@code [kvHeads, t, D]} (pre-RoPE and rotated keys, values) after the
     * cached open slots and returns the open window's rotated segment including them.
     */
    public KvSegment appendOpen(NDManager scope, int layer, NDArray kPre, NDArray kRot,
            NDArray v) {
        int t = (int) kPre.getShape().get(1);
        if (openLength + t > openCapacity) {
            throw new IllegalStateException("open window overflow: " + openLength + " + " + t
                    + " slots > capacity " + openCapacity);
        }
        NDIndex slots = new NDIndex(":, {}:{}, :", openLength, openLength + t);
        openKPre[layer].set(slots, kPre);
        openKRot[layer].set(slots, kRot);
        openV[layer].set(slots, v);
        return KvSegment.ofSlots(scope, openKRot[layer], openV[layer], 0, openLength + t);
    }

    /** Marks the {@code t} slots written by the last {@link #appendOpen} calls as cached. */
    public void advanceOpen(int t) {
        openLength += t;
    }

    /** Pre-RoPE keys of the open window {@code [kvHeads, open, D]}, a view in {@code scope}. */
    public NDArray openKeysPre(NDManager scope, int layer) {
        return openKPre[layer].get(scope, filled(openLength));
    }

    public NDArray openValues(NDManager scope, int layer) {
        return openV[layer].get(scope, filled(openLength));
    }

    /** Rotated keys of the open window (what attention uses). */
    public NDArray openKeysRotated(NDManager scope, int layer) {
        return openKRot[layer].get(scope, filled(openLength));
    }

    /** Appends compacted slots {@code [kvHeads, n, D]} (keys rotated) to this memory. */
    public void appendMemory(int layer, NDArray kRot, NDArray v) {
        int n = (int) kRot.getShape().get(1);
        reserveMemory(n);
        NDIndex slots = new NDIndex(":, {}:{}, :", memLength, memLength + n);
        memK[layer].set(slots, kRot);
        memV[layer].set(slots, v);
    }

    /** Marks {@code n} memory slots written by {@link #appendMemory} and empties the window. */
    public void closeWindow(int n) {
        memLength += n;
        openLength = 0;
    }

    /** Own memory keys/values of {@code layer} (not the base's), views in {@code scope}. */
    public NDArray ownMemoryKeys(NDManager scope, int layer) {
        return memK[layer] == null ? null : memK[layer].get(scope, filled(memLength));
    }

    public NDArray ownMemoryValues(NDManager scope, int layer) {
        return memV[layer] == null ? null : memV[layer].get(scope, filled(memLength));
    }

    /** True when this is an overlay over another memory. */
    public boolean isFork() {
        return base != null;
    }

    private void reserveMemory(int n) {
        int need = memLength + n;
        if (need <= memCapacity) {
            return;
        }
        int cap = Math.max(need, Math.max(64, memCapacity * 2));
        for (int l = 0; l < layers; l++) {
            NDArray k = manager.zeros(shape(cap), dtype);
            NDArray v = manager.zeros(shape(cap), dtype);
            if (memK[l] != null) {
                if (memLength > 0) {
                    NDIndex f = filled(memLength);
                    try (NDManager tmp = manager.newSubManager()) {
                        k.set(f, memK[l].get(tmp, f));
                        v.set(f, memV[l].get(tmp, f));
                    }
                }
                memK[l].close();
                memV[l].close();
            }
            memK[l] = k;
            memV[l] = v;
        }
        memCapacity = cap;
    }

    /** Bytes of the tensors that hold data (memory + open window, not spare capacity). */
    public long bytes() {
        return 2L * layers * kvHeads * headDim * (memorySlots() + openLength)
                * dtype.getNumOfBytes();
    }

    /** Bytes of native buffers this object allocated (capacity included), for bound checks. */
    public long allocatedBytes() {
        return (long) layers * kvHeads * headDim * dtype.getNumOfBytes()
                * (2L * memCapacity + 3L * openCapacity);
    }

    @Override
    public void close() {
        manager.close();
    }
}
