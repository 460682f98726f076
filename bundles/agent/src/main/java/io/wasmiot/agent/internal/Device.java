package io.wasmiot.agent.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import javax.jmdns.ServiceInfo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;

/**
 * One simulated or real WasmIoT device (SPEC §8): an HTTP port on the fleet's event loops, an mDNS
 * advertisement on the fleet's responder, registration with the gateway, renewal, and a fault mode.
 * <p>
 * Lifecycle changes (start, goodbye, vanish, return, move, renewal, timed faults) run one at a
 * time on the device's own {@link SerialExecutor}; the fields marked "lifecycle" are only touched
 * there. What the HTTP handler reads from the event loop is volatile or atomic.
 */
public final class Device {
    private static final Logger LOG = LoggerFactory.getLogger(Device.class);
    private static final long BIND_TIMEOUT_MILLIS = 10_000;
    private static final long CLOSE_TIMEOUT_MILLIS = 5_000;
    /**
     * RFC 6762 §10.1: a goodbye'd record lives 1 s more in every cache, JmDNS's own included (it
     * hears its own multicast). Advertising the name on another port before that makes JmDNS see a
     * conflict and rename the device ("name (2)"); a move waits this long after its goodbye.
     */
    private static final long GOODBYE_EXPIRY_MILLIS = 1500;
    /** A timed move tries this many free-looking ports before giving up. */
    private static final int MOVE_PORT_ATTEMPTS = 10;

    private final DeviceFleet fleet;
    private final DeviceSettings settings;
    private final String name;
    private final byte[] description;
    private final SerialExecutor lifecycle;
    private final DeviceHttpHandler httpHandler;

    private final AtomicLong healthChecks = new AtomicLong();
    private final AtomicLong registrations = new AtomicLong();
    private final AtomicLong registrationAttempts = new AtomicLong();
    private final AtomicLong renewals = new AtomicLong();
    private volatile FaultMode faultMode;
    /** Where the gateway is: the configured orchestrator URL, then whatever {@code POST /register} said. */
    private volatile URI gatewayUrl;
    private volatile long lastHealthCheckNanos;
    private volatile long startedNanos;
    private volatile int port;
    private volatile DeviceState state = DeviceState.NEW;

    // lifecycle
    private Listener listener;
    private ServiceInfo advertisement;
    private OrchestratorClient.Registration registration;
    private ScheduledFuture<?> renewalCheck;
    private ScheduledFuture<?> faultTrigger;
    private long renewalEpoch;
    private long faultEpoch;
    private long advertisedNanos;

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

    // ---- lifecycle requests --------------------------------------------------------------------

    /** Listens, advertises, registers (when it knows the gateway) and arms the renewal and fault timers. */
    public CompletableFuture<Device> start() {
        return lifecycle.call(() -> {
            require(EnumSet.of(DeviceState.NEW), "start");
            openPort(settings.port());
            try {
                startedNanos = System.nanoTime();
                lastHealthCheckNanos = startedNanos;
                advertise();
            } catch (IOException | RuntimeException e) {
                closePort();
                throw e;
            }
            state = DeviceState.UP;
            register(settings.orchestratorUrl());
            scheduleRenewalCheck(settings.renewalTime());
            scheduleFaultTrigger();
            LOG.debug("{}: up on {}:{} (fault mode {})", name, address(), port, faultMode.label());
            return this;
        });
    }

    /** Sends the mDNS goodbye and closes its port. */
    public CompletableFuture<Device> goodbye() {
        return lifecycle.call(() -> {
            require(EnumSet.of(DeviceState.UP, DeviceState.RENEWING, DeviceState.VANISHED), "say goodbye");
            sayGoodbye();
            return this;
        });
    }

    /** Closes its port without a goodbye: the mDNS record stays registered. */
    public CompletableFuture<Device> vanish() {
        return lifecycle.call(() -> {
            require(EnumSet.of(DeviceState.UP, DeviceState.RENEWING), "vanish");
            disappear();
            return this;
        });
    }

    /**
     * After a goodbye or vanish: listens on the same port again, advertises anew and registers. A
     * vanished device's stale record is withdrawn first (a goodbye) and registered again, as a
     * restarted supervisor would announce itself; the gateway's goodbye grace covers the gap.
     */
    public CompletableFuture<Device> comeBack() {
        return lifecycle.call(() -> {
            require(EnumSet.of(DeviceState.GONE, DeviceState.VANISHED), "return");
            openPort(port);
            withdraw();
            advertise();
            state = DeviceState.UP;
            lastHealthCheckNanos = System.nanoTime();
            register(gatewayUrl);
            scheduleRenewalCheck(settings.renewalTime());
            LOG.info("{}: back on {}:{}", name, address(), port);
            return this;
        });
    }

    /**
     * Changes port: listens on {@code newPort} first (a taken port leaves everything as it was),
     * then goodbye, closes the old port, advertises the new one and registers again.
     */
    public CompletableFuture<Device> move(int newPort) {
        return lifecycle.call(() -> {
            require(EnumSet.of(DeviceState.UP, DeviceState.RENEWING, DeviceState.GONE, DeviceState.VANISHED),
                    "move");
            if (newPort == port && listener != null) {
                throw new DeviceStateException(name + " already listens on port " + port);
            }
            relocate(newPort);
            return this;
        });
    }

    /** Sets the fault mode; a timed mode fires {@code faultAfter} from now. */
    public CompletableFuture<Device> changeFaultMode(FaultMode mode) {
        return lifecycle.call(() -> {
            require(EnumSet.complementOf(EnumSet.of(DeviceState.CLOSED)), "change fault mode");
            FaultMode previous = faultMode;
            faultMode = mode;
            if (state != DeviceState.NEW) {
                scheduleFaultTrigger();
            }
            LOG.info("{}: fault mode {} -> {}{}", name, previous.label(), mode.label(),
                    mode.isTimed() ? " (fires in " + fleet.settings().faultAfter().toMillis() + " ms)" : "");
            return this;
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

    // ---- lifecycle steps (lifecycle executor only) --------------------------------------------

    private void require(EnumSet<DeviceState> allowed, String action) {
        if (!allowed.contains(state)) {
            throw new DeviceStateException("cannot " + action + " " + name + ": it is "
                    + state.name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** A listening port and the signal that it is really closed. */
    private record Listener(Channel channel, int port, PortReleaseSignal released) {
    }

    private void openPort(int wantedPort) throws IOException {
        listener = bind(wantedPort);
        port = listener.port();
    }

    private Listener bind(int wantedPort) throws IOException {
        PortReleaseSignal released = new PortReleaseSignal();
        ChannelFuture bound = fleet.serverBootstrap(this, released).bind(fleet.listenAddress(wantedPort));
        if (!bound.awaitUninterruptibly(BIND_TIMEOUT_MILLIS)) {
            bound.cancel(false);
            throw new IOException(name + ": binding port " + wantedPort + " timed out");
        }
        if (!bound.isSuccess()) {
            throw new IOException(name + ": cannot listen on port " + wantedPort + ": " + bound.cause().getMessage(),
                    bound.cause());
        }
        fleet.track(bound.channel());
        return new Listener(bound.channel(), ((InetSocketAddress) bound.channel().localAddress()).getPort(), released);
    }

    /** Closes the listening port and every connection accepted on it (a crashed server's peers see resets). */
    private void closePort() {
        Listener closing = listener;
        listener = null;
        if (closing != null) {
            closing.channel().close().awaitUninterruptibly(CLOSE_TIMEOUT_MILLIS);
            try {
                closing.released().released().get(CLOSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("{}: port {} not confirmed closed within {} ms", name, closing.port(), CLOSE_TIMEOUT_MILLIS);
            }
            fleet.closeConnectionsOf(closing.channel(), CLOSE_TIMEOUT_MILLIS);
        }
    }

    private void advertise() throws IOException {
        Map<String, String> txt = new LinkedHashMap<>();
        txt.put("path", "/");
        txt.put("tls", "0");
        txt.put("address", address());
        advertisement = fleet.advertiser().advertise(name, port, txt);
        advertisedNanos = System.nanoTime();
    }

    /** Blocks while JmDNS repeats the goodbye (about 2 s); true when there was an advertisement. */
    private boolean withdraw() {
        ServiceInfo current = advertisement;
        advertisement = null;
        fleet.advertiser().withdraw(current);
        return current != null;
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

    private void sayGoodbye() {
        stopClocks();
        withdraw();
        closePort();
        state = DeviceState.GONE;
        LOG.info("{}: said goodbye and closed port {}", name, port);
    }

    private void disappear() {
        stopClocks();
        closePort();
        state = DeviceState.VANISHED;
        LOG.info("{}: vanished: port {} closed without a goodbye; its mDNS record stays registered", name, port);
    }

    private void relocate(int newPort) throws IOException {
        Listener newListener = bind(newPort);
        int oldPort = port;
        stopClocks();
        boolean saidGoodbye = withdraw();
        closePort();
        if (saidGoodbye) {
            try {
                Thread.sleep(GOODBYE_EXPIRY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        listener = newListener;
        port = newListener.port();
        fleet.ports().skipPast(port);
        advertise();
        state = DeviceState.UP;
        lastHealthCheckNanos = System.nanoTime();
        register(gatewayUrl);
        scheduleRenewalCheck(settings.renewalTime());
        LOG.info("{}: moved from port {} to {}", name, oldPort, port);
    }

    private void register(URI baseUrl) {
        if (registration != null) {
            registration.cancel();
            registration = null;
        }
        if (baseUrl != null) {
            registration = fleet.orchestrator().register(name, baseUrl, registerBody(),
                    registrationAttempts::incrementAndGet, registrations::incrementAndGet);
        }
    }

    /** The reference supervisor's register body (SPEC §6), with this device's port and address. */
    private byte[] registerBody() {
        ObjectNode body = fleet.mapper().createObjectNode();
        body.put("name", name);
        body.put("type", "webthing");
        body.put("port", port);
        body.putObject("properties").put("path", "/").put("tls", "0").put("address", address());
        body.putArray("addresses").add(address());
        body.put("host", address());
        body.put("protocol", "http");
        try {
            return fleet.mapper().writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a register body", e);
        }
    }

    // ---- renewal (SPEC §8) ------------------------------------------------------------------------

    private void scheduleRenewalCheck(Duration delay) {
        cancel(renewalCheck);
        long epoch = renewalEpoch;
        renewalCheck = fleet.schedule(() -> lifecycle.execute(() -> checkRenewal(epoch)), delay);
    }

    /** Renews when neither a health check nor an advertisement happened for the renewal time. */
    private void checkRenewal(long epoch) {
        if (epoch != renewalEpoch || state != DeviceState.UP) {
            return;
        }
        long renewalNanos = settings.renewalTime().toNanos();
        long quietNanos = System.nanoTime() - Math.max(lastHealthCheckNanos, advertisedNanos);
        if (quietNanos < renewalNanos) {
            scheduleRenewalCheck(Duration.ofNanos(renewalNanos - quietNanos));
            return;
        }
        Duration pause = fleet.settings().renewalPause();
        LOG.info("{}: no health check for {} s: renewing (goodbye, {} ms pause, advertise, register)", name,
                quietNanos / 1_000_000_000L, pause.toMillis());
        stopClocks();
        withdraw();
        state = DeviceState.RENEWING;
        long renewing = renewalEpoch;
        renewalCheck = fleet.schedule(() -> lifecycle.execute(() -> finishRenewal(renewing)), pause);
    }

    private void finishRenewal(long epoch) {
        if (epoch != renewalEpoch || state != DeviceState.RENEWING) {
            return;
        }
        try {
            advertise();
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: renewal could not advertise again: {}", name, e.toString());
        }
        state = DeviceState.UP;
        renewals.incrementAndGet();
        register(gatewayUrl);
        scheduleRenewalCheck(settings.renewalTime());
        LOG.debug("{}: renewed", name);
    }

    // ---- timed faults -------------------------------------------------------------------------

    private void scheduleFaultTrigger() {
        faultEpoch++;
        cancel(faultTrigger);
        faultTrigger = null;
        FaultMode mode = faultMode;
        if (mode.isTimed()) {
            long epoch = faultEpoch;
            faultTrigger = fleet.schedule(() -> lifecycle.execute(() -> fireFault(mode, epoch)),
                    fleet.settings().faultAfter());
        }
    }

    /** One shot: afterwards the device answers as healthy wherever its port is open. */
    private void fireFault(FaultMode mode, long epoch) {
        if (epoch != faultEpoch || faultMode != mode || state == DeviceState.CLOSED) {
            return;
        }
        faultMode = FaultMode.HEALTHY;
        try {
            boolean fired = false;
            if (mode == FaultMode.VANISH && (state == DeviceState.UP || state == DeviceState.RENEWING)) {
                disappear();
                fired = true;
            } else if (mode == FaultMode.GOODBYE && state != DeviceState.GONE && state != DeviceState.NEW) {
                sayGoodbye();
                fired = true;
            } else if (mode == FaultMode.MOVE && state != DeviceState.NEW) {
                moveToNextFreePort();
                fired = true;
            }
            if (fired) {
                fleet.listener().faultFired(this, mode);
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

    @Override
    public String toString() {
        return name + " " + address() + ":" + port + " " + state + " " + faultMode.label();
    }
}
