package io.wasmiot.gateway.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.junit.Test;

public class SweepPhasesTest {
    private static List<String> ids(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(String.format("6b1600%018x", i * 7919L));
        }
        return ids;
    }

    @Test
    public void aSmallFleetIsCheckedAtOnce() {
        List<String> due = ids(SweepPhases.SPREAD_FROM - 1);
        assertEquals(List.of(due), SweepPhases.slots(due, 15, Function.identity()));
    }

    @Test
    public void aLargeFleetIsSpreadOverHalfTheIntervalEveryDeviceOnce() {
        List<String> due = ids(5000);
        List<List<String>> slots = SweepPhases.slots(due, 10, Function.identity());
        assertEquals("5 s in 100 ms slots, 100 devices a slot at least", 50, slots.size());
        assertEquals(5000, slots.stream().mapToInt(List::size).sum());
        assertTrue("no slot holds much more than its share: " + slots.stream().mapToInt(List::size).max().orElse(0),
                slots.stream().allMatch(slot -> slot.size() < 200));
    }

    @Test
    public void aDeviceKeepsItsSlotFromSweepToSweep() {
        List<String> due = ids(3000);
        List<List<String>> first = SweepPhases.slots(due, 5, Function.identity());
        assertTrue(first.size() > 1);
        List<String> shuffled = new ArrayList<>(due);
        java.util.Collections.reverse(shuffled);
        List<List<String>> second = SweepPhases.slots(shuffled, 5, Function.identity());
        for (int i = 0; i < first.size(); i++) {
            assertEquals(new java.util.HashSet<>(first.get(i)), new java.util.HashSet<>(second.get(i)));
        }
    }

    @Test
    public void slotsHoldAtLeastTheirMinimumWhenTheIntervalIsLong() {
        List<List<String>> slots = SweepPhases.slots(ids(2500), 60, Function.identity());
        assertEquals(2500 / SweepPhases.MIN_PER_SLOT, slots.size());
    }
}
