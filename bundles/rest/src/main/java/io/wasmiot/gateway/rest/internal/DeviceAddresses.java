package io.wasmiot.gateway.rest.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.store.DeviceStore;

/**
 * Which listed devices have a given address, for telling who posted a log line: an index of the
 * store's devices by address, read again when it is {@link #MAX_AGE_SECONDS} old, or when a lookup
 * misses and it is a second old (a device that just moved; a flood from unknown addresses costs one
 * store read a second at most). One thread reads the store at a time; the others meanwhile use the
 * index they have. Addresses compare in canonical form ({@code ::ffff:10.0.0.1} is {@code 10.0.0.1},
 * zones and brackets dropped).
 */
final class DeviceAddresses {
    static final long MAX_AGE_SECONDS = 10;
    private static final long MISS_REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /** A listed device, as far as log lines need it. */
    record Listed(String id, String name) {
    }

    private record Index(Map<String, List<Listed>> byAddress, long readNanos) {
    }

    private final LongSupplier clock;
    private final ReentrantLock reading = new ReentrantLock();
    private volatile Index index;

    DeviceAddresses(LongSupplier nanoClock) {
        this.clock = nanoClock;
    }

    /** The listed devices with {@code address} among theirs; may read the store ({@code StoreException}). */
    List<Listed> at(String address, DeviceStore store) {
        String key = canonical(address);
        Index current = index;
        long now = clock.getAsLong();
        if (current == null || now - current.readNanos() > TimeUnit.SECONDS.toNanos(MAX_AGE_SECONDS)
                || (!current.byAddress().containsKey(key) && now - current.readNanos() > MISS_REFRESH_NANOS)) {
            current = reread(store, current);
        }
        return current.byAddress().getOrDefault(key, List.of());
    }

    private Index reread(DeviceStore store, Index seen) {
        if (seen == null) {
            reading.lock();
        } else if (!reading.tryLock()) {
            return seen; // another request is reading the store: the index it replaces will do
        }
        try {
            Index current = index;
            if (current != seen && current != null) {
                return current; // read while this request waited for the lock
            }
            Map<String, List<Listed>> byAddress = new HashMap<>();
            for (Device device : store.findAll()) {
                if (device.id() == null) {
                    continue;
                }
                Listed listed = new Listed(device.id(), device.name());
                for (String address : device.communication().addresses()) {
                    byAddress.computeIfAbsent(canonical(address), a -> new ArrayList<>(1)).add(listed);
                }
            }
            byAddress.replaceAll((address, devices) -> List.copyOf(devices));
            Index read = new Index(Map.copyOf(byAddress), clock.getAsLong());
            index = read;
            return read;
        } finally {
            reading.unlock();
        }
    }

    /** Four decimal octets of at most 255: what the JDK reads as a literal (anything else it would look up). */
    private static boolean isIpv4(String text) {
        if (!IPV4.matcher(text).matches()) {
            return false;
        }
        for (String octet : text.split("\\.")) {
            if (Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    /** An IP literal in one spelling; anything else lower-cased as it is (never resolved). */
    static String canonical(String address) {
        String text = address.strip();
        if (text.startsWith("[") && text.endsWith("]")) {
            text = text.substring(1, text.length() - 1);
        }
        int zone = text.indexOf('%');
        if (zone >= 0) {
            text = text.substring(0, zone);
        }
        if (text.indexOf(':') >= 0 || isIpv4(text)) {
            try {
                // a literal: no name lookup
                return InetAddress.getByName(text).getHostAddress();
            } catch (UnknownHostException | IllegalArgumentException e) {
                // not a valid literal after all
            }
        }
        return text.toLowerCase(Locale.ROOT);
    }
}
