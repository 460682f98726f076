package io.wasmiot.agent.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.wasmiot.agent.internal.mdns.RecordLifetimes;
import io.wasmiot.agent.internal.mdns.Registration;
import io.wasmiot.agent.internal.mdns.Responder;

/**
 * The fleet's one mDNS responder ({@link Responder}: python-zeroconf-like), advertising
 * {@code name._webthing._tcp.local.} per device; or nothing at all when mDNS is off
 * ({@link #disabled()}).
 */
final class MdnsAdvertiser {
    /** A goodbye takes about 250 ms (three datagrams 125 ms apart); this bounds the wait for it. */
    private static final long GOODBYE_WAIT_MILLIS = 3000;
    private static final Logger LOG = LoggerFactory.getLogger(MdnsAdvertiser.class);

    private final Responder responder;

    private MdnsAdvertiser(Responder responder) {
        this.responder = responder;
    }

    /**
     * A responder on {@code address}'s interface, its records living {@code lifetimes}, at most
     * {@code devicesPerDatagram} devices in a datagram (0: as many as fit).
     */
    static MdnsAdvertiser open(Inet4Address address, RecordLifetimes lifetimes, int devicesPerDatagram) throws IOException {
        return new MdnsAdvertiser(Responder.open(address, lifetimes, devicesPerDatagram, "wasmiot-agent-mdns"));
    }

    static MdnsAdvertiser disabled() {
        return new MdnsAdvertiser(null);
    }

    boolean enabled() {
        return responder != null;
    }

    /**
     * Advertises a device: probed, then announced (the first announcement about 350 ms from now).
     * Returns {@code null} when mDNS is off. Should another host answer for the name while it is
     * probed, the responder renames it ("name (2)") and logs that, since the gateway then knows
     * the device by the new name.
     */
    Registration advertise(String name, int port, Map<String, String> txt) throws IOException {
        if (responder == null) {
            return null;
        }
        List<byte[]> strings = new ArrayList<>();
        txt.forEach((key, value) -> strings.add((key + "=" + value).getBytes(StandardCharsets.UTF_8)));
        try {
            return responder.advertise(name, port, strings);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IOException("cannot advertise " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Advertises a record exactly as given, for tests of hostile records: any name (one longer
     * than a DNS label goes out as a corrupt datagram), any port (0 included), TXT values as raw
     * bytes (invalid UTF-8, near-limit lengths). No device behind it unless the port is one.
     */
    Registration advertiseRaw(String name, int port, Map<String, byte[]> txt) throws IOException {
        if (responder == null) {
            throw new IOException("mDNS is off (--no-mdns)");
        }
        List<byte[]> strings = new ArrayList<>();
        txt.forEach((key, value) -> {
            byte[] k = key.getBytes(StandardCharsets.UTF_8);
            byte[] string = new byte[k.length + 1 + value.length];
            System.arraycopy(k, 0, string, 0, k.length);
            string[k.length] = '=';
            System.arraycopy(value, 0, string, k.length + 1, value.length);
            strings.add(string);
        });
        try {
            return responder.advertise(name, port, strings);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Withdraws with goodbyes (TTL 0) and waits until they are sent (about 250 ms). Blocking: not on an event loop. */
    void withdraw(Registration registration) {
        if (responder == null || registration == null) {
            return;
        }
        try {
            responder.goodbye(registration).get(GOODBYE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("{}: goodbye not confirmed sent: {}", registration.name(), e.toString());
        }
    }

    /** Drops the advertisement silently, as a stopped python supervisor: no goodbye, no more answers. */
    void drop(Registration registration) {
        if (responder != null && registration != null) {
            responder.drop(registration);
        }
    }

    /** Says goodbye for every service (unless {@code goodbyes} is false) and closes, within {@code timeout}. */
    void close(boolean goodbyes, Duration timeout) {
        if (responder != null) {
            responder.close(goodbyes, timeout);
        }
    }
}
