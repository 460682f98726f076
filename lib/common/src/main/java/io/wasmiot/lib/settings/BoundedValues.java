package io.wasmiot.lib.settings;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Checks a configuration's values against their ranges. ConfigAdmin takes any value from a
 * {@code .cfg} file (a metatype's bounds only guide the web console's form), and a component that
 * failed to activate over one value would take its whole bundle's work down: a value out of range
 * is set to the nearest bound, a malformed one to its default, and {@link #warn} names each for the
 * operator in one line.
 */
public final class BoundedValues {
    private final String pid;
    private final List<String> changed = new ArrayList<>();

    public BoundedValues(String pid) {
        this.pid = pid;
    }

    public int within(String key, int value, int min, int max) {
        return (int) within(key, (long) value, min, max);
    }

    public long within(String key, long value, long min, long max) {
        long bounded = Math.max(min, Math.min(max, value));
        if (bounded != value) {
            changed.add(key + " " + value + " -> " + bounded + " (" + min + "-" + max + ")");
        }
        return bounded;
    }

    public double within(String key, double value, double min, double max) {
        double bounded = Double.isNaN(value) ? min : Math.max(min, Math.min(max, value));
        if (Double.compare(bounded, value) != 0) {
            changed.add(key + " " + number(value) + " -> " + number(bounded) + " (" + number(min) + "-" + number(max) + ")");
        }
        return bounded;
    }

    /** Records that {@code key}'s value was refused and {@code used} taken instead, and why. */
    public <T> T replaced(String key, Object value, T used, String why) {
        changed.add(key + " '" + value + "' -> '" + used + "' (" + why + ")");
        return used;
    }

    /** What was changed, one entry a key, e.g. {@code healthInterval 0 -> 1 (1-86400)}. */
    public List<String> changed() {
        return List.copyOf(changed);
    }

    /** One warning naming every changed value; nothing when all were in range. */
    public void warn(Consumer<String> warning) {
        if (!changed.isEmpty()) {
            warning.accept(pid + ": values out of range were set to the nearest bound or the default: "
                    + String.join(", ", changed));
        }
    }

    private static String number(double value) {
        return value == Math.rint(value) && !Double.isInfinite(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
