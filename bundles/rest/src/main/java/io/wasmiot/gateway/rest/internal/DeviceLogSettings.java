package io.wasmiot.gateway.rest.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.wasmiot.lib.settings.BoundedValues;

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
        BoundedValues values = new BoundedValues(DeviceLogsConfig.PID);
        DeviceLogSettings settings = new DeviceLogSettings(
                values.within("linesPerDevice", config.linesPerDevice(), 1, 10_000),
                values.within("maxLineBytes", config.maxLineBytes(), 64, 1 << 20),
                values.within("maxTotalBytes", config.maxTotalBytes(), 65_536, 1 << 30),
                values.within("maxDevices", config.maxDevices(), 1, 100_000),
                values.within("linesPerSecond", config.linesPerSecond(), 0.01, 10_000),
                values.within("burst", config.burst(), 1, 100_000));
        values.warn(LOG::warn);
        return settings;
    }
}
