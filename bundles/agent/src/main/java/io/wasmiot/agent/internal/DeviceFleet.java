package io.wasmiot.agent.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.wasmiot.agent.internal.mdns.Registration;
import io.wasmiot.lib.threads.NamedThreadFactory;

/**
 * Owns everything devices share, so that thousands fit in one JVM: ONE mDNS responder, ONE Netty
 * event loop group on which every device's port is bound, ONE scheduler for timers (registration
 * retries, renewal, faults), ONE bounded pool for blocking lifecycle steps, ONE
 * {@link HttpClient} (and a small bounded pool of senders) for registrations. Plain Java: the simulator and the OSGi component both use
 * it. {@link #close()} says goodbye for every advertised device (unless
 * {@link FleetSettings#goodbyeOnClose()} is off) and ends every thread, within
 * {@link FleetSettings#closeTimeout()}.
 */
public final class DeviceFleet implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceFleet.class);
    /** Description files above the gateway's description bound (docs/contract.md §10) are refused up front. */
    private static final long MAX_DESCRIPTION_FILE_BYTES = 256 * 1024;
    private static final int OVERSIZED_BODY_BYTES = 1 << 20;
    private static final byte[] MALFORMED_BODY = "{\"cpuUsage\": 0.5, \"memoryUsage\": <not JSON>"
            .getBytes(StandardCharsets.UTF_8);

    private final FleetSettings settings;
    private final FleetListener listener;
    private final ObjectMapper mapper = new ObjectMapper();
    private final EventLoopGroup eventLoops;
    private final ScheduledThreadPoolExecutor scheduler;
    private final ThreadPoolExecutor lifecyclePool;
    private final ThreadPoolExecutor httpClientPool;
    private final ThreadPoolExecutor registrationPool;
    private final HttpClient httpClient;
    private final OrchestratorClient orchestrator;
    private final MdnsAdvertiser advertiser;
    private final ChannelGroup channels;
    private final HostMetrics hostMetrics = HostMetrics.forThisHost();
    private final byte[] hostDescription;
    private final Map<Path, byte[]> descriptionFiles = new ConcurrentHashMap<>();
    private final Map<String, Device> devices = new ConcurrentSkipListMap<>();
    private final PortAllocator ports;
    private final String advertisedAddress;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile byte[] oversizedBody;

    /** Opens the responder (unless mDNS is off) and starts the shared threads. */
    public DeviceFleet(FleetSettings settings, FleetListener listener) throws IOException {
        this.settings = settings;
        this.listener = listener;
        this.advertisedAddress = settings.advertisedAddress().getHostAddress();
        this.ports = new PortAllocator(settings.basePort());
        this.hostDescription = mapper.writeValueAsBytes(HostDescription.forThisHost(mapper));
        this.eventLoops = new NioEventLoopGroup(settings.eventLoopThreads(),
                new DefaultThreadFactory("wasmiot-agent-http", true));
        this.channels = new DefaultChannelGroup("wasmiot-agent-channels", eventLoops.next());
        this.scheduler = new ScheduledThreadPoolExecutor(1, NamedThreadFactory.single("wasmiot-agent-timer"));
        this.scheduler.setRemoveOnCancelPolicy(true);
        this.lifecyclePool = boundedPool(settings.lifecycleThreads(), "wasmiot-agent-lifecycle");
        this.httpClientPool = boundedPool(2, "wasmiot-agent-http-client");
        this.registrationPool = boundedPool(settings.maxConcurrentRegistrations(), "wasmiot-agent-register");
        this.httpClient = HttpClient.newBuilder()
                .executor(httpClientPool)
                .connectTimeout(settings.connectTimeout())
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY)
                .build();
        this.orchestrator = new OrchestratorClient(httpClient, registrationPool, scheduler,
                settings.registerInitialBackoff(), settings.registerMaxBackoff(), settings.requestTimeout());
        MdnsAdvertiser opened;
        try {
            opened = settings.mdnsEnabled()
                    ? MdnsAdvertiser.open(settings.advertisedAddress(), settings.recordLifetimes(), settings.devicesPerDatagram())
                    : MdnsAdvertiser.disabled();
        } catch (IOException | RuntimeException e) {
            shutDownThreads(System.nanoTime() + settings.closeTimeout().toNanos());
            throw e;
        }
        this.advertiser = opened;
        LOG.info("Device fleet ready: address {}, mDNS {}, {} HTTP threads", advertisedAddress,
                advertiser.enabled() ? "on" : "off", settings.eventLoopThreads());
    }

    private static ThreadPoolExecutor boundedPool(int threads, String name) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 10, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), NamedThreadFactory.numbered(name));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /**
     * A new device, not started yet. Its description is read now: a file that is missing, too
     * large or not a JSON object fails here, not at the first request.
     */
    public Device create(DeviceSettings deviceSettings) {
        if (closed.get()) {
            throw new IllegalStateException("the fleet is closed");
        }
        byte[] description = deviceSettings.descriptionFile() == null ? hostDescription
                : descriptionFiles.computeIfAbsent(deviceSettings.descriptionFile().toAbsolutePath().normalize(),
                        this::readDescriptionFile);
        Device device = new Device(this, deviceSettings, description);
        if (devices.putIfAbsent(device.name(), device) != null) {
            throw new IllegalArgumentException("a device named '" + device.name() + "' exists already");
        }
        return device;
    }

    /** Creates and starts a device; one that fails to start is forgotten again. */
    public CompletableFuture<Device> start(DeviceSettings deviceSettings) {
        Device device;
        try {
            device = create(deviceSettings);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return device.start().whenComplete((started, failure) -> {
            if (failure != null) {
                devices.remove(device.name(), device);
            }
        });
    }

    public Optional<Device> device(String name) {
        return Optional.ofNullable(devices.get(name));
    }

    /** Every device, by name. */
    public Collection<Device> devices() {
        return List.copyOf(devices.values());
    }

    public FleetSettings settings() {
        return settings;
    }

    /** Ports for new devices and moves, from {@link FleetSettings#basePort()}. */
    public PortAllocator ports() {
        return ports;
    }

    /** The devices' IPv4 as text (TXT {@code address}, register bodies). */
    public String advertisedAddress() {
        return advertisedAddress;
    }

    public boolean mdnsEnabled() {
        return advertiser.enabled();
    }

    /**
     * Says goodbye for every advertised device (packed together, three times 125 ms apart), or
     * with {@link FleetSettings#goodbyeOnClose()} off just stops answering, while closing every
     * port and connection; then ends the threads. Bounded by {@link FleetSettings#closeTimeout()}:
     * should the responder take longer, the rest is closed anyway and the log says so.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long started = System.nanoTime();
        long deadline = started + settings.closeTimeout().toNanos();
        LOG.info("Closing {} devices: {}ports, threads", devices.size(),
                advertiser.enabled() ? settings.goodbyeOnClose() ? "mDNS goodbyes, " : "mDNS (no goodbyes), " : "");
        devices.values().forEach(Device::markClosed);
        orchestrator.close();
        // Pending lifecycle steps and timers are moot now; a step in progress is interrupted.
        lifecyclePool.shutdownNow();
        scheduler.shutdownNow();
        // The goodbyes take about 250 ms: a thread of its own so that ports close meanwhile.
        Thread mdnsCloser = new Thread(this::closeAdvertiser, "wasmiot-agent-mdns-close");
        mdnsCloser.setDaemon(true);
        mdnsCloser.start();
        channels.close().awaitUninterruptibly(remainingMillis(deadline));
        try {
            mdnsCloser.join(Math.max(1, remainingMillis(deadline)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (mdnsCloser.isAlive()) {
            LOG.warn("The mDNS responder did not close within {} ms; closing the rest anyway",
                    settings.closeTimeout().toMillis());
        }
        shutDownThreads(deadline);
        LOG.info("Device fleet closed in {} ms", (System.nanoTime() - started) / 1_000_000);
    }

    private void closeAdvertiser() {
        try {
            advertiser.close(settings.goodbyeOnClose(), settings.closeTimeout());
        } catch (RuntimeException e) {
            LOG.warn("Closing the mDNS responder failed: {}", e.toString());
        }
    }

    private void shutDownThreads(long deadline) {
        lifecyclePool.shutdownNow();
        scheduler.shutdownNow();
        eventLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(remainingMillis(deadline));
        registrationPool.shutdownNow();
        httpClientPool.shutdownNow();
        // Java 21+ can close an HttpClient; on 17 its selector thread ends once the client is unreachable.
        if ((Object) httpClient instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.debug("Closing the HTTP client: {}", e.toString());
            }
        }
    }

    private static long remainingMillis(long deadlineNanos) {
        return Math.max(0, (deadlineNanos - System.nanoTime()) / 1_000_000);
    }

    // ---- shared parts, for devices ------------------------------------------------------------

    FleetListener listener() {
        return listener;
    }

    ObjectMapper mapper() {
        return mapper;
    }

    HostMetrics hostMetrics() {
        return hostMetrics;
    }

    /**
     * Advertises a bare mDNS record on the fleet's responder, not tied to a device: name, port and
     * TXT bytes exactly as given (the simulator's {@code record} command, for hostile-record tests).
     */
    public Registration advertiseRecord(String name, int port, Map<String, byte[]> txt) throws IOException {
        return advertiser.advertiseRaw(name, port, txt);
    }

    /** Withdraws a record of {@link #advertiseRecord}: a goodbye; blocks about 250 ms. */
    public void withdrawRecord(Registration record) {
        advertiser.withdraw(record);
    }

    MdnsAdvertiser advertiser() {
        return advertiser;
    }

    OrchestratorClient orchestrator() {
        return orchestrator;
    }

    Executor lifecycleExecutor() {
        return lifecyclePool;
    }

    /** Runs {@code task} after {@code delay} on the timer; {@code null} once the fleet is closing. */
    ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        try {
            return scheduler.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    /** Where a device listens: only its advertised address (simulator) or every interface (a real device). */
    InetSocketAddress listenAddress(int port) {
        return settings.listenOnAllInterfaces() ? new InetSocketAddress(port)
                : new InetSocketAddress(settings.advertisedAddress(), port);
    }

    /** A bootstrap binding one port of {@code device} on the shared event loops; {@code released} hears its close. */
    ServerBootstrap serverBootstrap(Device device, PortReleaseSignal released) {
        if (closed.get()) {
            throw new IllegalStateException("the fleet is closed");
        }
        // The slow fault must not be cut by the idle timeout while its answer waits.
        long idleMillis = Math.max(settings.idleTimeout().toMillis(), settings.slowDelay().toMillis() + 1000);
        int maxRequestBytes = settings.maxRequestBytes();
        return new ServerBootstrap()
                .group(eventLoops)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 128)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .handler(released)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channels.add(channel);
                        channel.pipeline().addLast(
                                new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS),
                                new HttpServerCodec(4096, 8192, 8192),
                                new JsonTooLargeAggregator(maxRequestBytes),
                                device.httpHandler());
                    }
                });
    }

    /** Remembers a channel so that {@link #close()} closes it. */
    void track(Channel channel) {
        channels.add(channel);
    }

    /** Closes the connections accepted on {@code server}. */
    void closeConnectionsOf(Channel server, long timeoutMillis) {
        channels.close(channel -> channel.parent() == server).awaitUninterruptibly(timeoutMillis);
    }

    byte[] malformedBody() {
        return MALFORMED_BODY;
    }

    /** 1 MiB of valid JSON, built on first use. */
    byte[] oversizedBody() {
        byte[] body = oversizedBody;
        if (body == null) {
            synchronized (this) {
                if (oversizedBody == null) {
                    oversizedBody = buildOversizedBody();
                }
                body = oversizedBody;
            }
        }
        return body;
    }

    private static byte[] buildOversizedBody() {
        byte[] head = "{\"cpuUsage\":0.5,\"memoryUsage\":0.5,\"uptime\":1,\"padding\":\"".getBytes(StandardCharsets.UTF_8);
        byte[] tail = "\"}".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[OVERSIZED_BODY_BYTES];
        Arrays.fill(body, (byte) 'x');
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(tail, 0, body, body.length - tail.length, tail.length);
        return body;
    }

    private byte[] readDescriptionFile(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_DESCRIPTION_FILE_BYTES) {
                throw new IllegalArgumentException("description file " + file + " has " + size
                        + " bytes; at most " + MAX_DESCRIPTION_FILE_BYTES + " fit a gateway");
            }
            byte[] bytes = Files.readAllBytes(file);
            JsonNode parsed = mapper.readTree(bytes);
            if (parsed == null || !parsed.isObject()) {
                throw new IllegalArgumentException("description file " + file + " does not hold a JSON object");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read description file " + file + ": " + e.getMessage(), e);
        }
    }
}
