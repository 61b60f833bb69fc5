package org.memorag.engine.beacon;

import java.util.ArrayList;
import java.util.List;

/**
 * Applies step plans to labels instead of tensors: a stand-in for the per-layer KV that tells
 * which token or beacon each memory slot holds. Raw token t is labelled "t", the m-th beacon of
 * window w "b{w}.{m}".
 */
final class SlotTracker {
    final List<String> memory = new ArrayList<>();
    final List<String> open = new ArrayList<>();
    final List<StepPlan> plans = new ArrayList<>();
    private final int window;
    private int beaconsInOpenWindow;

    SlotTracker(int window) {
        this.window = window;
    }

    void run(BeaconStream s, int n) {
        s.append(n);
        while (s.hasPending()) {
            apply(s.nextStep());
        }
    }

    void apply(StepPlan p) {
        plans.add(p);
        if (p.memorySlots() != memory.size() || p.openSlots() != open.size()) {
            throw new AssertionError("plan " + p + " expects prefix " + p.memorySlots() + "+"
                    + p.openSlots() + " but the tracker holds " + memory.size() + "+"
                    + open.size());
        }
        int t = p.rawStart();
        int windowIndex = p.rawStart() / window;
        for (int i = 0; i < p.stepSlots(); i++) {
            open.add(p.isBeacon(i) ? "b" + windowIndex + "." + beaconsInOpenWindow++ : "t" + t++);
        }
        if (p.closesWindow()) {
            List<String> all = new ArrayList<>(open);
            open.clear();
            for (int k : p.keep()) {
                memory.add(all.get(k));
            }
            beaconsInOpenWindow = 0;
        }
    }

    List<String> slots() {
        List<String> all = new ArrayList<>(memory);
        all.addAll(open);
        return all;
    }
}
