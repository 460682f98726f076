package io.wasmiot.gateway.core.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.store.DeviceStore;
import io.wasmiot.gateway.api.store.StoreException;

/** An in-memory {@link DeviceStore} with the contract of the real one; records what was asked of it. */
final class FakeStore implements DeviceStore {
    private final Map<String, Device> byId = new LinkedHashMap<>();
    private long nextId = 0x66a1f0c2L << 32;
    final List<Device> saved = new ArrayList<>();
    final List<String> deleted = new ArrayList<>();
    int deleteAllCalls;
    /** The size of each saveEach batch, in order. */
    final List<Integer> saveEachCalls = new ArrayList<>();
    /** saveEach waits for this before it writes (a test holds a write in progress); open by default. */
    volatile CountDownLatch saveEachGate = new CountDownLatch(0);
    /** Counted down as saveEach is entered, before the gate. */
    volatile CountDownLatch saveEachEntered = new CountDownLatch(1);
    /** delete waits for this before it writes (a slow database); open by default. */
    volatile CountDownLatch deleteGate = new CountDownLatch(0);
    /** When set, saveEach fails with it (after the gate). */
    volatile StoreException saveEachFailure;

    @Override
    public String gatewayId() {
        return FakeLeases.GATEWAY_ID;
    }

    /** Puts a device in as if another run of the gateway had stored it. @return it, with its {@code _id} */
    synchronized Device preload(Device device) {
        Device withId = device.id() != null ? device : device.withId(newId());
        byId.put(withId.id(), withId);
        return withId;
    }

    private String newId() {
        return String.format("%024x", nextId++);
    }

    @Override
    public synchronized List<Device> findAll() {
        List<Device> all = new ArrayList<>(byId.values());
        all.sort(Comparator.comparing(Device::name));
        return all;
    }

    @Override
    public synchronized Optional<Device> findById(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public synchronized Optional<Device> findByName(String name) {
        return byId.values().stream().filter(d -> d.name().equals(name)).findFirst();
    }

    @Override
    public synchronized Set<String> saveAll(Collection<Device> devices) {
        Set<String> savedIds = new HashSet<>();
        for (Device device : devices) {
            if (byId.containsKey(device.id())) {
                byId.put(device.id(), device);
                saved.add(device);
                savedIds.add(device.id());
            }
        }
        return savedIds;
    }

    @Override
    public synchronized Device save(Device device) {
        String id = device.id();
        if (id == null) {
            id = findByName(device.name()).map(Device::id).orElseGet(this::newId);
        }
        Device stored = device.withId(id);
        byId.put(id, stored);
        saved.add(stored);
        return stored;
    }

    @Override
    public List<Device> saveEach(List<Device> devices) {
        saveEachEntered.countDown();
        try {
            if (!saveEachGate.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("saveEach gate never opened");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted", e);
        }
        synchronized (this) {
            StoreException failure = saveEachFailure;
            if (failure != null) {
                throw failure;
            }
            saveEachCalls.add(devices.size());
            return devices.stream().map(this::save).toList();
        }
    }

    @Override
    public boolean delete(String id) {
        try {
            if (!deleteGate.await(5, TimeUnit.SECONDS)) {
                throw new StoreException("delete gate never opened", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted", e);
        }
        synchronized (this) {
            deleted.add(id);
            return byId.remove(id) != null;
        }
    }

    @Override
    public synchronized int deleteAll() {
        deleteAllCalls++;
        int n = byId.size();
        byId.clear();
        return n;
    }

    @Override
    public synchronized int count() {
        return byId.size();
    }

    synchronized int saveCount() {
        return saved.size();
    }

    synchronized List<String> deletedIds() {
        return List.copyOf(deleted);
    }

    /** The stored device of that name; fails when there is none. */
    Device named(String name) {
        return findByName(name).orElseThrow(() -> new AssertionError("no stored device named " + name + ": " + findAll()));
    }
}
