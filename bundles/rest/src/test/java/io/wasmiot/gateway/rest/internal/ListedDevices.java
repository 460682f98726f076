package io.wasmiot.gateway.rest.internal;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.store.DeviceStore;
import io.wasmiot.gateway.api.store.StoreException;

/** A store that lists the devices a test puts in and counts its reads; it changes nothing. */
final class ListedDevices implements DeviceStore {
    final List<Device> devices = new CopyOnWriteArrayList<>();
    final AtomicInteger reads = new AtomicInteger();
    volatile boolean failing;

    Device add(String id, String name, String... addresses) {
        Device device = Device.introduced(name, new Communication(List.of(addresses), 5000), "{}", "mdns",
                Instant.now()).withId(id);
        devices.add(device);
        return device;
    }

    @Override
    public String gatewayId() {
        return "gw-rest-test";
    }

    @Override
    public List<Device> findAll() {
        reads.incrementAndGet();
        if (failing) {
            throw new StoreException("database unreachable");
        }
        return List.copyOf(devices);
    }

    @Override
    public Optional<Device> findById(String id) {
        return devices.stream().filter(d -> d.id().equals(id)).findFirst();
    }

    @Override
    public Optional<Device> findByName(String name) {
        return devices.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    @Override
    public Device save(Device device) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Device> saveEach(List<Device> list) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Set<String> saveAll(Collection<Device> list) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean delete(String id) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int deleteAll() {
        throw new UnsupportedOperationException();
    }

    @Override
    public int count() {
        return devices.size();
    }
}
