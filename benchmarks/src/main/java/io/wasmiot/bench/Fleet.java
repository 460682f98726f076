package io.wasmiot.bench;

/** What advertises a burst's devices over mDNS: the simulator, or the python-zeroconf fleet. */
interface Fleet {
    /** Starts a burst of {@code n} devices; returns System.nanoTime() just before the command was sent. */
    long burst(int n) throws Exception;

    /** Waits until the fleet reports {@code total} devices up; returns the nanoTime it was seen, or -1 on timeout. */
    long awaitReady(int total, int timeoutSeconds) throws InterruptedException;

    /** The process whose mDNS sockets advertise the devices. */
    long pid();

    /** How the drops table names that process. */
    String label();
}
