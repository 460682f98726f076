package io.wasmiot.agent.internal.mdns;

import java.io.IOException;
import java.net.Inet4Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import io.wasmiot.lib.threads.NamedThreadFactory;

/**
 * A small mDNS responder for many {@code _webthing._tcp} services that behaves on the wire as a
 * python-zeroconf 0.47 supervisor: {@link ServiceTable} leads each service through probing,
 * announcing and goodbyes, {@link QueryAnswerer} answers questions, {@link Outbox} packs what goes
 * out into few datagrams, {@link MdnsSocket} is the one socket. {@link #drop} and
 * {@link #close(boolean, Duration) close(false, ..)} send no goodbye, as a stopped or killed python
 * supervisor. One thread owns every service ({@code loop}); one more reads the socket; both end in
 * {@link #close}.
 */
public final class Responder implements AutoCloseable {
    /** Datagrams waiting for the responder's thread; more are dropped (a flood). */
    static final int MAX_QUEUED_DATAGRAMS = 20_000;
    static final int RECEIVE_BUFFER_BYTES = 4 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(Responder.class);

    private final Inet4Address address;
    private final RecordLifetimes ttl;
    private final ScheduledThreadPoolExecutor loop;
    private final MdnsSocket socket;
    private final Outbox outbox;
    private final QueryAnswerer answerer;
    private final ServiceTable services;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closed;

    private Responder(Inet4Address address, RecordLifetimes ttl, int devicesPerDatagram, String threadName)
            throws IOException {
        this.address = address;
        this.ttl = ttl;
        this.loop = new ScheduledThreadPoolExecutor(1, NamedThreadFactory.single(threadName));
        loop.setRemoveOnCancelPolicy(true);
        this.outbox = new Outbox(this::multicast, this::schedule, devicesPerDatagram);
        this.services = new ServiceTable(ttl, outbox, this::schedule);
        this.answerer = new QueryAnswerer(services, ttl, outbox, this::schedule, (datagram, to) -> socket().sendTo(datagram, to));
        try {
            this.socket = new MdnsSocket(address, RECEIVE_BUFFER_BYTES, this::received, threadName + "-receive");
        } catch (IOException | RuntimeException e) {
            loop.shutdownNow();
            throw e;
        }
    }

    /**
     * A responder advertising on {@code address}'s interface, at most {@code devicesPerDatagram}
     * services' records in one datagram (0: as many as fit; 1: as separate hosts send them); its
     * threads are named after {@code threadName}.
     */
    public static Responder open(Inet4Address address, RecordLifetimes ttl, int devicesPerDatagram, String threadName)
            throws IOException {
        Responder responder = new Responder(address, ttl, devicesPerDatagram, threadName);
        LOG.info("mDNS responder up on {} (SRV/A live {} s, PTR/TXT {} s; {} a datagram)", address.getHostAddress(),
                ttl.hostTtl(), ttl.otherTtl(), devicesPerDatagram == 0 ? "as many services as fit" : devicesPerDatagram + " service(s)");
        return responder;
    }

    private MdnsSocket socket() {
        return socket;
    }

    /**
     * Probes {@code label} and then announces {@code label._webthing._tcp.local.} with SRV
     * {@code port} on {@code label.local.}, TXT {@code txt} (strings as raw bytes) and A the
     * responder's address. A label of 64-255 bytes, which DNS cannot carry, is announced as a
     * corrupt datagram (hostile-record tests). Throws IllegalArgumentException for what cannot be
     * sent at all (an empty or longer label, a TXT string over 255 bytes, records over one datagram).
     */
    public Registration advertise(String label, int port, List<byte[]> txt) {
        requireOpen();
        if (label.isEmpty()) {
            throw new IllegalArgumentException("an empty name");
        }
        if (!MdnsNames.fits(label)) {
            Registration registration = new Registration(label, new CorruptAnnouncement(label));
            execute(() -> services.startCorrupt(registration));
            return registration;
        }
        ServiceRecords records = ServiceRecords.of(label, port, address, txt);
        List<Record> all = new ArrayList<>(records.announcement(ttl));
        all.add(records.nsec(ttl.otherTtl()));
        int bytes = DatagramPacker.sizeAlone(DatagramPacker.Part.answers(all, List.of()));
        if (bytes > DatagramPacker.MAX_BYTES) {
            throw new IllegalArgumentException("its records take " + bytes + " bytes; one mDNS datagram holds "
                    + DatagramPacker.MAX_BYTES);
        }
        Registration registration = new Registration(label, null);
        execute(() -> services.start(registration, records));
        return registration;
    }

    /**
     * Withdraws the advertisement with goodbyes (TTL 0); the future completes once the last of
     * them is sent (about 250 ms), or at once when it was never announced.
     */
    public CompletableFuture<Void> goodbye(Registration registration) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        if (closed || !execute(() -> services.goodbye(registration, sent))) {
            sent.complete(null);
        }
        return sent;
    }

    /** Forgets the advertisement without a word: it stops answering; caches keep it until it expires. */
    public void drop(Registration registration) {
        execute(() -> services.drop(registration));
    }

    /** Datagrams that did not parse, since start. */
    public long malformedReceived() {
        return socket.malformed.get();
    }

    /** Datagrams dropped because the responder's thread was behind, since start. */
    public long droppedReceived() {
        return dropped.get();
    }

    /** Says goodbye for every service (unless {@code goodbyes} is false), then ends both threads; bounded by {@code timeout}. */
    public void close(boolean goodbyes, Duration timeout) {
        if (closed) {
            return;
        }
        closed = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        if (goodbyes) {
            CompletableFuture<Void> sent = new CompletableFuture<>();
            try {
                loop.execute(guarded(() -> services.goodbyeToAll(sent)));
                sent.get(Math.max(1, remainingMillis(deadline)), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException | ExecutionException | TimeoutException e) {
                LOG.warn("mDNS: goodbyes not all sent: {}", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        socket.close(); // first: a send cut by the interrupt below is then no news
        loop.shutdownNow();
        try {
            if (!loop.awaitTermination(Math.max(1, remainingMillis(deadline)), TimeUnit.MILLISECONDS)) {
                LOG.warn("mDNS: the responder's thread did not end in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(true, Duration.ofSeconds(2));
    }

    /** Whether both threads have ended (tests). */
    boolean threadsEnded() {
        return loop.isTerminated() && !socket.receiverAlive();
    }

    // ---- the responder's thread -----------------------------------------------------------------

    private void received(MdnsSocket.Inbound inbound) {
        if (closed) {
            return;
        }
        if (queued.incrementAndGet() > MAX_QUEUED_DATAGRAMS) {
            queued.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        try {
            loop.execute(guarded(() -> {
                queued.decrementAndGet();
                handle(inbound);
            }));
        } catch (RejectedExecutionException e) {
            queued.decrementAndGet(); // closing
        }
    }

    private void handle(MdnsSocket.Inbound inbound) {
        Message message = inbound.message();
        if (!message.getHeader().getFlag(Flags.QR)) {
            answerer.received(message, inbound.sender(), System.nanoTime());
        } else if (inbound.sender().getPort() == MdnsSocket.GROUP.getPort()) {
            services.response(message);
        }
    }

    private void multicast(byte[] datagram) {
        socket.multicast(datagram);
    }

    // ---- plumbing -------------------------------------------------------------------------------

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the mDNS responder is closed");
        }
    }

    private boolean execute(Runnable task) {
        try {
            loop.execute(guarded(task));
            return true;
        } catch (RejectedExecutionException e) {
            return false; // closing
        }
    }

    private void schedule(Runnable task, long delayMillis) {
        try {
            loop.schedule(guarded(task), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closing: the rest of a probe, announcement or goodbye is moot
        }
    }

    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("mDNS responder: {}", e.toString(), e);
            }
        };
    }

    private static long remainingMillis(long deadlineNanos) {
        return (deadlineNanos - System.nanoTime()) / 1_000_000;
    }
}
