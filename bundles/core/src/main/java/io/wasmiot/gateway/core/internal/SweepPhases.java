package io.wasmiot.gateway.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * When in a sweep each device is checked. A fleet of fewer than {@link #SPREAD_FROM} is checked all
 * at once. A larger one is spread over the first half of the interval in slots {@link #SLOT_MILLIS}
 * apart, each device in the slot its id hashes to, so its checks come one interval apart whatever
 * the others do: started all at once, 5,000 checks made each sweep's last ones wait behind the first
 * ones (and behind a full garbage collection), and a device's lateness followed the whole fleet's
 * (docs/benchmarks-method.md). Spreading costs CPU (the HTTP client and the threads wake for every
 * slot instead of working through one batch: 1,000 devices in 20 slots took 0.69 ms a check instead
 * of 0.47), so small fleets, whose lateness is within bounds anyway, are not spread; and slots too
 * large queue their checks behind each other in the prober (5,000 devices in slots of 250: a device's
 * check up to 1.7 s late; of 100: 0.17 s). The sweep's decisions (the brake, inactive, forgotten) still wait for all of its checks.
 */
final class SweepPhases {
    /** Fleets below this are checked at once. */
    static final int SPREAD_FROM = 2000;
    static final long SLOT_MILLIS = 100;
    /** Devices a slot holds at least, so a slot is worth its timer. */
    static final int MIN_PER_SLOT = 100;

    private SweepPhases() {
    }

    /**
     * Splits {@code due} into slots, slot {@code i} to start {@code i * SLOT_MILLIS} after the sweep;
     * each list keeps {@code due}'s order.
     */
    static <T> List<List<T>> slots(List<T> due, int healthIntervalSeconds, Function<T, String> id) {
        if (due.size() < SPREAD_FROM) {
            return List.of(due);
        }
        long spreadMillis = healthIntervalSeconds * 1000L / 2;
        int count = (int) Math.max(1, Math.min(spreadMillis / SLOT_MILLIS, due.size() / MIN_PER_SLOT));
        List<List<T>> slots = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            slots.add(new ArrayList<>());
        }
        for (T entry : due) {
            slots.get(Math.floorMod(id.apply(entry).hashCode(), count)).add(entry);
        }
        return slots;
    }
}
