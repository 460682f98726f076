package io.wasmiot.bench;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

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

    /**
     * Waits on {@code lock}, which the caller holds and the fleet's output reader notifies, until
     * {@code done} holds; false once {@code deadlineNanos} passed or the fleet's process ended.
     */
    static boolean await(Object lock, BooleanSupplier done, long deadlineNanos, Process process)
            throws InterruptedException {
        while (!done.getAsBoolean()) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0 || !process.isAlive()) {
                return false;
            }
            lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
        return true;
    }
}
