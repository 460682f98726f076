package io.wasmiot.agent.internal;

import java.net.URI;
import java.util.EnumSet;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated or real WasmIoT device (docs/contract.md §8): an HTTP port on the fleet's event loops, an mDNS
 * advertisement on the fleet's responder, registration with the gateway, renewal, and a fault mode.
 * <p>
 * Lifecycle changes (start, goodbye, vanish, return, move, restart, down, up, renewal, timed
 * faults) run one at a time on the device's own {@link SerialExecutor}, as {@link DeviceSteps}.
 * What the HTTP handler reads from the event loop is volatile or atomic.
 */
public final class Device {
    private static final Logger LOG = LoggerFactory.getLogger(Device.class);
    private static final EnumSet<DeviceState> LIVE = EnumSet.of(DeviceState.UP, DeviceState.RENEWING);

    private final DeviceFleet fleet;
    private final DeviceSettings settings;
    private final String name;
    private final byte[] description;
    private final DeviceHttpHandler httpHandler;
    private final DeviceSteps steps;
    final SerialExecutor lifecycle;

    private final AtomicLong healthChecks = new AtomicLong();
    final AtomicLong registrations = new AtomicLong();
    final AtomicLong registrationAttempts = new AtomicLong();
    final AtomicLong renewals = new AtomicLong();
    // Written by the lifecycle steps, read by the HTTP handler.
    volatile FaultMode faultMode;
    /** Where the gateway is: the configured orchestrator URL, then whatever {@code POST /register} said. */
    volatile URI gatewayUrl;
    volatile long lastHealthCheckNanos;
    volatile long startedNanos;
    volatile int port;
    volatile DeviceState state = DeviceState.NEW;

    Device(DeviceFleet fleet, DeviceSettings settings, byte[] description) {
        this.fleet = fleet;
        this.settings = settings;
        this.name = settings.name();
        this.description = description;
        this.lifecycle = new SerialExecutor(fleet.lifecycleExecutor());
        this.httpHandler = new DeviceHttpHandler(this, fleet);
        this.faultMode = settings.faultMode();
        this.gatewayUrl = settings.orchestratorUrl();
        this.port = settings.port();
        this.steps = new DeviceSteps(this, fleet);
    }

    public String name() {
        return name;
    }

    /** The IPv4 it advertises, as text. */
    public String address() {
        return fleet.advertisedAddress();
    }

    /** Its HTTP port (the bound one once started, so a configured 0 shows the system's pick). */
    public int port() {
        return port;
    }

    public DeviceState state() {
        return state;
    }

    public FaultMode faultMode() {
        return faultMode;
    }

    /** {@code GET /health} requests received, whatever the answer. */
    public long healthChecks() {
        return healthChecks.get();
    }

    /** Registrations the gateway accepted (2xx). */
    public long registrations() {
        return registrations.get();
    }

    /** Registration requests sent, successful or not. */
    public long registrationAttempts() {
        return registrationAttempts.get();
    }

    /** Renewals completed (goodbye, pause, advertise, register). */
    public long renewals() {
        return renewals.get();
    }

    /** The gateway URL it knows (configured or told by {@code POST /register}), or {@code null}. */
    public URI gatewayUrl() {
        return gatewayUrl;
    }

    DeviceSettings settings() {
        return settings;
    }

    // ---- lifecycle requests --------------------------------------------------------------------

    /** A lifecycle step that may fail. */
    private interface Step {
        void run() throws Exception;
    }

    /** Runs {@code step} in turn when the device is in one of {@code allowed}; the future says how it went. */
    private CompletableFuture<Device> request(EnumSet<DeviceState> allowed, String action, Step step) {
        return lifecycle.call(() -> {
            if (!allowed.contains(state)) {
                throw new DeviceStateException("cannot " + action + " " + name + ": it is "
                        + state.name().toLowerCase(Locale.ROOT));
            }
            step.run();
            return this;
        });
    }

    /** Listens, advertises, registers (when it knows the gateway) and arms the renewal and fault timers. */
    public CompletableFuture<Device> start() {
        return request(EnumSet.of(DeviceState.NEW), "start", () -> {
            steps.start();
            LOG.debug("{}: up on {}:{} (fault mode {})", name, address(), port, faultMode.label());
        });
    }

    /** Sends the mDNS goodbye and closes its port. */
    public CompletableFuture<Device> goodbye() {
        return request(EnumSet.of(DeviceState.UP, DeviceState.RENEWING, DeviceState.VANISHED), "say goodbye",
                steps::sayGoodbye);
    }

    /** Closes its port without a goodbye: its mDNS records are still answered (a crashed supervisor, responder alive). */
    public CompletableFuture<Device> vanish() {
        return request(LIVE, "vanish", steps::disappear);
    }

    /**
     * After a goodbye or vanish: listens on the same port again, advertises anew and registers. A
     * vanished device's stale record is withdrawn first (a goodbye) and advertised again, as a
     * restarted supervisor would announce itself; the gateway's goodbye grace covers the gap.
     */
    public CompletableFuture<Device> comeBack() {
        return request(EnumSet.of(DeviceState.GONE, DeviceState.VANISHED), "return", steps::comeBack);
    }

    /**
     * Changes port: listens on {@code newPort} first (a taken port leaves everything as it was),
     * then goodbye, closes the old port, advertises the new one and registers again.
     */
    public CompletableFuture<Device> move(int newPort) {
        return request(EnumSet.of(DeviceState.UP, DeviceState.RENEWING, DeviceState.GONE, DeviceState.VANISHED),
                "move", () -> {
                    if (newPort == port && steps.listening()) {
                        throw new DeviceStateException(name + " already listens on port " + port);
                    }
                    steps.relocate(newPort);
                });
    }

    /**
     * A restarted python supervisor: its HTTP closes and opens again on {@code newPort} (0: the
     * same port; another port is bound first, so a taken one leaves everything as it was), its old
     * mDNS records are dropped without a goodbye, and it is probed, announced and registered again
     * as a new process (its uptime restarts; it forgets a gateway URL that {@code POST /register} told it).
     */
    public CompletableFuture<Device> restart(int newPort) {
        return request(EnumSet.of(DeviceState.UP, DeviceState.RENEWING, DeviceState.VANISHED, DeviceState.GONE,
                DeviceState.DOWN), "restart", () -> steps.restart(newPort));
    }

    /** A stopped python supervisor: its HTTP closes and its mDNS records are dropped without a goodbye. */
    public CompletableFuture<Device> down() {
        return request(EnumSet.of(DeviceState.UP, DeviceState.RENEWING, DeviceState.VANISHED), "take down",
                steps::down);
    }

    /** Started again after {@link #down} (or a goodbye or vanish) on {@code newPort} (0: the same), as by {@link #restart}. */
    public CompletableFuture<Device> up(int newPort) {
        return request(EnumSet.of(DeviceState.DOWN, DeviceState.GONE, DeviceState.VANISHED), "bring up",
                () -> steps.up(newPort));
    }

    /** Sets the fault mode; a timed mode fires {@code faultAfter} from now. */
    public CompletableFuture<Device> changeFaultMode(FaultMode mode) {
        return request(EnumSet.complementOf(EnumSet.of(DeviceState.CLOSED)), "change fault mode", () -> {
            FaultMode previous = faultMode;
            faultMode = mode;
            if (state != DeviceState.NEW) {
                steps.scheduleFaultTrigger();
            }
            LOG.info("{}: fault mode {} -> {}{}", name, previous.label(), mode.label(),
                    mode.isTimed() ? " (fires in " + fleet.settings().faultAfter().toMillis() + " ms)" : "");
        });
    }

    // ---- called by the HTTP handler (event loop) -------------------------------------------------

    byte[] description() {
        return description;
    }

    /** Counts a health check and restarts the renewal clock; returns its number (1, 2, ...). */
    long recordHealthCheck() {
        lastHealthCheckNanos = System.nanoTime();
        return healthChecks.incrementAndGet();
    }

    boolean knowsGateway() {
        return gatewayUrl != null;
    }

    void gatewayAnnounced(URI url) {
        if (!url.equals(gatewayUrl)) {
            LOG.info("{}: the gateway says it is at {}", name, url);
        }
        gatewayUrl = url;
    }

    long uptimeSeconds() {
        return startedNanos == 0 ? 0 : (System.nanoTime() - startedNanos) / 1_000_000_000L;
    }

    DeviceHttpHandler httpHandler() {
        return httpHandler;
    }

    /** The fleet is closing: it closes every channel and the responder itself; this only stops the clocks. */
    void markClosed() {
        state = DeviceState.CLOSED;
    }

    @Override
    public String toString() {
        return name + " " + address() + ":" + port + " " + state + " " + faultMode.label();
    }
}
