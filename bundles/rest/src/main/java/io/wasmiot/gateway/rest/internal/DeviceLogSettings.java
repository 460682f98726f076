package io.wasmiot.gateway.rest.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link DeviceLogsConfig} as validated values. A configuration file may hold anything: a value
 * outside its range is refused with a warning naming it, and the nearest allowed one is used (a
 * gateway that refused to start its log intake would lose nothing else, but the operator would not
 * see why).
 */
record DeviceLogSettings(int linesPerDevice, int maxLineBytes, long maxTotalBytes, int maxDevices,
                         double linesPerSecond, int burst) {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceLogSettings.class);

    static DeviceLogSettings from(DeviceLogsConfig config) {
        return new DeviceLogSettings(
                (int) within("linesPerDevice", config.linesPerDevice(), 1, 10_000),
                (int) within("maxLineBytes", config.maxLineBytes(), 64, 1 << 20),
                (long) within("maxTotalBytes", config.maxTotalBytes(), 65_536, 1 << 30),
                (int) within("maxDevices", config.maxDevices(), 1, 100_000),
                within("linesPerSecond", config.linesPerSecond(), 0.01, 10_000),
                (int) within("burst", config.burst(), 1, 100_000));
    }

    private static double within(String key, double value, double minimum, double maximum) {
        if (Double.isNaN(value) || value < minimum || value > maximum) {
            double used = Double.isNaN(value) || value < minimum ? minimum : maximum;
            LOG.warn("{} = {} refused: {} takes {} to {}; using {}", DeviceLogsConfig.PID + "." + key, number(value), key,
                    number(minimum), number(maximum), number(used));
            return used;
        }
        return value;
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
