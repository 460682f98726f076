package io.wasmiot.agent.internal;

/** Hears what devices do on their own (not asked by a caller): timed faults firing. */
@FunctionalInterface
public interface FleetListener {
    /** Listens to nothing. */
    FleetListener NONE = (device, mode) -> { };

    /**
     * A timed fault fired: {@code mode} is {@link FaultMode#VANISH}, {@link FaultMode#GOODBYE} or
     * {@link FaultMode#MOVE}; {@code device} shows the state it left (e.g. the new port). Called on
     * a lifecycle thread: do not block.
     */
    void faultFired(Device device, FaultMode mode);
}
