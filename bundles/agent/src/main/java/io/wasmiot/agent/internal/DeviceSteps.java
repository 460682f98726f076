package io.wasmiot.agent.internal;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.wasmiot.agent.internal.mdns.Registration;

/**
 * The lifecycle steps of one {@link Device}: its port, its mDNS advertisement, its registration,
 * renewal (docs/contract.md §8) and timed faults. Runs only on the device's serial lifecycle executor, so its
 * fields need no locking; it writes the device's volatile state for the HTTP handler to read.
 */
final class DeviceSteps {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceSteps.class);
    /** A timed move tries this many free-looking ports before giving up. */
    private static final int MOVE_PORT_ATTEMPTS = 10;

    private final Device device;
    private final DeviceFleet fleet;
    private final String name;

    private DevicePort listener;
    private Registration advertisement;
    private OrchestratorClient.Registration registration;
    private ScheduledFuture<?> renewalCheck;
    private ScheduledFuture<?> faultTrigger;
    private long renewalEpoch;
    private long faultEpoch;
    private long advertisedNanos;

    DeviceSteps(Device device, DeviceFleet fleet) {
        this.device = device;
        this.fleet = fleet;
        this.name = device.name();
    }

    boolean listening() {
        return listener != null;
    }

    void start() throws IOException {
        openPort(device.settings().port());
        try {
            device.startedNanos = System.nanoTime();
            device.lastHealthCheckNanos = device.startedNanos;
            advertise();
        } catch (IOException | RuntimeException e) {
            closePort();
            throw e;
        }
        device.state = DeviceState.UP;
        register(device.settings().orchestratorUrl());
        scheduleRenewalCheck(device.settings().renewalTime());
        scheduleFaultTrigger();
    }

    void sayGoodbye() {
        stopClocks();
        withdraw();
        closePort();
        device.state = DeviceState.GONE;
        LOG.info("{}: said goodbye and closed port {}", name, device.port);
    }

    void disappear() {
        stopClocks();
        closePort();
        device.state = DeviceState.VANISHED;
        LOG.info("{}: vanished: port {} closed without a goodbye; its mDNS records are still answered", name,
                device.port);
    }

    /** Back on the same port; a vanished device's stale record gets its goodbye first. */
    void comeBack() throws IOException {
        openPort(device.port);
        withdraw();
        advertise();
        device.state = DeviceState.UP;
        device.lastHealthCheckNanos = System.nanoTime();
        register(device.gatewayUrl);
        scheduleRenewalCheck(device.settings().renewalTime());
        LOG.info("{}: back on {}:{}", name, device.address(), device.port);
    }

    /** Listens on {@code newPort} first (a taken port leaves everything as it was), then goodbye, close, advertise, register. */
    void relocate(int newPort) throws IOException {
        DevicePort newListener = DevicePort.bind(fleet, device, newPort);
        int oldPort = device.port;
        stopClocks();
        withdraw();
        closePort();
        listener = newListener;
        device.port = newListener.port();
        fleet.ports().skipPast(device.port);
        advertise();
        device.state = DeviceState.UP;
        device.lastHealthCheckNanos = System.nanoTime();
        register(device.gatewayUrl);
        scheduleRenewalCheck(device.settings().renewalTime());
        LOG.info("{}: moved from port {} to {}", name, oldPort, device.port);
    }

    /** See {@link Device#restart}. */
    void restart(int newPort) throws IOException {
        int target = newPort == 0 ? device.port : newPort;
        DevicePort next = listener == null || target != device.port ? DevicePort.bind(fleet, device, target) : null;
        stopClocks();
        dropAdvertisement();
        closePort();
        if (next == null) {
            try {
                next = DevicePort.bind(fleet, device, target);
            } catch (IOException e) {
                device.state = DeviceState.DOWN;
                throw e;
            }
        }
        relaunch(next);
        LOG.info("{}: restarted on {}:{} (no goodbye for its old records)", name, device.address(), device.port);
    }

    void down() {
        stopClocks();
        dropAdvertisement();
        closePort();
        device.state = DeviceState.DOWN;
        LOG.info("{}: down: port {} closed, mDNS records dropped without a goodbye", name, device.port);
    }

    void up(int newPort) throws IOException {
        DevicePort next = DevicePort.bind(fleet, device, newPort == 0 ? device.port : newPort);
        dropAdvertisement(); // a vanished device's stale record: silently, as a new process would
        relaunch(next);
        LOG.info("{}: up again on {}:{}", name, device.address(), device.port);
    }

    /** Up on {@code next} as a freshly started process: uptime from now, the configured gateway URL only. */
    private void relaunch(DevicePort next) throws IOException {
        listener = next;
        device.port = next.port();
        fleet.ports().skipPast(device.port);
        device.startedNanos = System.nanoTime();
        device.lastHealthCheckNanos = device.startedNanos;
        device.gatewayUrl = device.settings().orchestratorUrl();
        advertise();
        device.state = DeviceState.UP;
        register(device.gatewayUrl);
        scheduleRenewalCheck(device.settings().renewalTime());
    }

    // ---- port and advertisement -----------------------------------------------------------------

    private void openPort(int wantedPort) throws IOException {
        listener = DevicePort.bind(fleet, device, wantedPort);
        device.port = listener.port();
    }

    private void closePort() {
        DevicePort closing = listener;
        listener = null;
        if (closing != null) {
            closing.close(fleet, name);
        }
    }

    private void advertise() throws IOException {
        Map<String, String> txt = new LinkedHashMap<>();
        txt.put("path", "/");
        txt.put("tls", "0");
        txt.put("address", device.address());
        advertisement = fleet.advertiser().advertise(name, device.port, txt);
        advertisedNanos = System.nanoTime();
    }

    /** Goodbyes, waiting until they are sent (about 250 ms). */
    private void withdraw() {
        Registration current = advertisement;
        advertisement = null;
        fleet.advertiser().withdraw(current);
    }

    /** No goodbye: the records just stop being answered (caches keep them until they expire). */
    private void dropAdvertisement() {
        fleet.advertiser().drop(advertisement);
        advertisement = null;
    }

    /** Stops renewal and registration: what belongs to the current port and advertisement. */
    private void stopClocks() {
        renewalEpoch++;
        cancel(renewalCheck);
        renewalCheck = null;
        if (registration != null) {
            registration.cancel();
            registration = null;
        }
    }

    private void register(URI baseUrl) {
        if (registration != null) {
            registration.cancel();
            registration = null;
        }
        if (baseUrl != null) {
            registration = fleet.orchestrator().register(name, baseUrl,
                    RegisterBody.of(fleet.mapper(), name, device.port, device.address()),
                    device.registrationAttempts::incrementAndGet, device.registrations::incrementAndGet);
        }
    }

    // ---- renewal (docs/contract.md §8) ------------------------------------------------------------------------

    private void scheduleRenewalCheck(Duration delay) {
        cancel(renewalCheck);
        long epoch = renewalEpoch;
        renewalCheck = fleet.schedule(() -> device.lifecycle.execute(() -> checkRenewal(epoch)), delay);
    }

    /** Renews when neither a health check nor an advertisement happened for the renewal time. */
    private void checkRenewal(long epoch) {
        if (epoch != renewalEpoch || device.state != DeviceState.UP) {
            return;
        }
        long renewalNanos = device.settings().renewalTime().toNanos();
        long quietNanos = System.nanoTime() - Math.max(device.lastHealthCheckNanos, advertisedNanos);
        if (quietNanos < renewalNanos) {
            scheduleRenewalCheck(Duration.ofNanos(renewalNanos - quietNanos));
            return;
        }
        Duration pause = fleet.settings().renewalPause();
        LOG.info("{}: no health check for {} s: renewing (goodbye, {} ms pause, advertise, register)", name,
                quietNanos / 1_000_000_000L, pause.toMillis());
        stopClocks();
        withdraw();
        device.state = DeviceState.RENEWING;
        long renewing = renewalEpoch;
        renewalCheck = fleet.schedule(() -> device.lifecycle.execute(() -> finishRenewal(renewing)), pause);
    }

    private void finishRenewal(long epoch) {
        if (epoch != renewalEpoch || device.state != DeviceState.RENEWING) {
            return;
        }
        try {
            advertise();
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: renewal could not advertise again: {}", name, e.toString());
        }
        device.state = DeviceState.UP;
        device.renewals.incrementAndGet();
        register(device.gatewayUrl);
        scheduleRenewalCheck(device.settings().renewalTime());
        LOG.debug("{}: renewed", name);
    }

    // ---- timed faults -------------------------------------------------------------------------

    void scheduleFaultTrigger() {
        faultEpoch++;
        cancel(faultTrigger);
        faultTrigger = null;
        FaultMode mode = device.faultMode;
        if (mode.isTimed()) {
            long epoch = faultEpoch;
            faultTrigger = fleet.schedule(() -> device.lifecycle.execute(() -> fireFault(mode, epoch)),
                    fleet.settings().faultAfter());
        }
    }

    /** One shot: afterwards the device answers as healthy wherever its port is open. */
    private void fireFault(FaultMode mode, long epoch) {
        DeviceState state = device.state;
        if (epoch != faultEpoch || device.faultMode != mode || state == DeviceState.CLOSED) {
            return;
        }
        device.faultMode = FaultMode.HEALTHY;
        boolean live = state == DeviceState.UP || state == DeviceState.RENEWING;
        try {
            boolean fired = false;
            if (mode == FaultMode.VANISH && live) {
                disappear();
                fired = true;
            } else if (mode == FaultMode.GOODBYE && (live || state == DeviceState.VANISHED)) {
                sayGoodbye();
                fired = true;
            } else if (mode == FaultMode.MOVE && state != DeviceState.NEW && state != DeviceState.DOWN) {
                moveToNextFreePort();
                fired = true;
            }
            if (fired) {
                fleet.listener().faultFired(device, mode);
            } else {
                LOG.info("{}: fault {} not applicable while {}", name, mode.label(), state);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: fault {} failed: {}", name, mode.label(), e.toString());
        }
    }

    private void moveToNextFreePort() throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < MOVE_PORT_ATTEMPTS; attempt++) {
            int candidate = fleet.ports().next();
            try {
                relocate(candidate);
                return;
            } catch (IOException e) {
                last = e;
                LOG.debug("{}: port {} is taken, trying the next", name, candidate);
            }
        }
        throw last;
    }

    private static void cancel(ScheduledFuture<?> future) {
        if (future != null) {
            future.cancel(false);
        }
    }
}
