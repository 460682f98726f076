package io.wasmiot.gateway.core.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.wasmiot.gateway.api.DeviceProber;

/**
 * The prober the core uses, optional and dynamic (a prober update or reconfiguration must not restart
 * the lifecycle), and the introductions that found none: each resumes once one is bound.
 */
final class ProberSlot {
    /** The failure a prober answers for work it dropped as it stopped: the work waits for the next one. */
    static final String PROBER_STOPPED = "prober stopped";

    private final CoreThreads threads;
    private volatile DeviceProber prober;
    /** Introductions due while no prober was bound (at start, or while one is updated), with the task resuming each. */
    private final Map<DeviceEntry, Runnable> awaiting = new ConcurrentHashMap<>();

    ProberSlot(CoreThreads threads) {
        this.threads = threads;
    }

    /** @return the prober bound now, or {@code null} */
    DeviceProber current() {
        return prober;
    }

    void bind(DeviceProber newProber) {
        this.prober = newProber;
        // Introductions that found no prober (the browser may report devices before the prober
        // starts, or while it is being updated) go on now.
        awaiting.forEach(this::resumeSoon);
    }

    void unbind(DeviceProber oldProber) {
        if (this.prober == oldProber) {
            this.prober = null;
        }
    }

    /**
     * Runs {@code resume} on the core's threads once a prober other than {@code stopped} is bound:
     * the one bound now, or the next to bind. An entry waits with one task at most (the latest).
     */
    void await(DeviceEntry entry, Runnable resume, DeviceProber stopped) {
        awaiting.put(entry, resume);
        // Read after the put: a prober bound meanwhile either sees this entry or is seen here.
        DeviceProber now = prober;
        if (now != null && now != stopped) {
            resumeSoon(entry, resume);
        }
    }

    /** The entry is forgotten: it waits no more. */
    void forget(DeviceEntry entry) {
        awaiting.remove(entry);
    }

    private void resumeSoon(DeviceEntry entry, Runnable resume) {
        threads.execute(() -> {
            if (awaiting.remove(entry, resume)) {
                resume.run();
            }
        });
    }
}
