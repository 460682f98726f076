package io.wasmiot.gateway.rest.internal;

import io.wasmiot.gateway.api.DeviceLogs;

/**
 * What {@link DeviceLogsServlet} needs of {@link DeviceLogBook} beyond the API: the admission bounds of
 * PID {@code wasmiot.gateway.devicelogs}. (The servlet is configured by the REST PID alone, for its
 * body bound: Felix SCR 2.2.18 ignores a component's later configuration PIDs at its start when an
 * earlier one has no configuration, so one component cannot reliably take both.) Internal to this
 * bundle: registered as a service only so that the servlet binds the book dynamically.
 */
public interface LogIntake extends DeviceLogs {

    /** Takes one line of the device's rate. @return 0 when it may post now, else the whole seconds (at least 1) until it may */
    long admit(String deviceId);

    /** The longest line (its JSON, in bytes) kept; longer ones are refused. */
    int maxLineBytes();
}
