package io.wasmiot.gateway.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.After;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the field lab tests share ({@link Lab}): each test builds its own network, runs the real
 * gateway jar and simulated devices in its hosts, prints its figures ({@link Figures}) and tears
 * the network down after it.
 */
public abstract class FieldLabFixture {
    /** The lab's figures keep one name in figures.txt (README's "Tested networks" table). */
    static final String FIGURES = "FieldLabIT";
    static final Duration SOON = Duration.ofSeconds(40);
    final List<AutoCloseable> running = new ArrayList<>();
    Lab lab;
    GatewayProcess gateway;

    @After
    public void tearDown() throws Exception {
        for (AutoCloseable process : running) {
            process.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    Lab lab(LabTopology topology) {
        lab = Lab.build(topology);
        return lab;
    }

    /** The real gateway jar on {@code host}, its public URL on {@code subnet}, its interfaces checked every second. */
    GatewayProcess gateway(String host, String subnet, int hostNumber, GatewayProcess.Config config) {
        int port = GatewayOptions.freePort();
        config.set("wasmiot.gateway.mdns", "interfaceCheckSeconds", 1)
                .set("wasmiot.gateway.discovery", "publicBaseUrl", "http://" + lab.address(subnet, hostNumber) + ":" + port);
        gateway = GatewayProcess.start("lab-" + host, config,
                new GatewayProcess.Placement(lab.prefix(host), lab.managementAddress(host), port));
        running.add(0, gateway);
        return gateway;
    }

    /** A simulator on {@code host} advertising (and serving) at {@code address}. */
    SimulatorProcess simulator(String host, String address, int devices, String prefix, String... extra) {
        List<String> args = new ArrayList<>(List.of("--name-prefix", prefix, "--mdns-address", address));
        args.addAll(List.of(extra));
        SimulatorProcess simulator = SimulatorProcess.start(lab.prefix(host), gateway.dir, devices,
                args.toArray(String[]::new));
        running.add(simulator);
        return simulator;
    }

    static String name(String prefix, int index) {
        return String.format("%s%04d", prefix, index);
    }

    JsonNode awaitHealthyAt(String name, String address, Duration timeout) {
        return Await.until(name + " listed active at " + address, timeout, () -> {
            JsonNode device = gateway.healthyDevice(name);
            return device != null && address.equals(device.at("/communication/addresses/0").asText()) ? device : null;
        });
    }

    String status(String name) {
        JsonNode device = gateway.device(name);
        return device == null ? "absent" : device.path("status").asText();
    }

    /** How many listed devices have a name starting with {@code prefix}. */
    int listed(String prefix) {
        int count = 0;
        for (JsonNode device : gateway.devices()) {
            if (device.path("name").asText().startsWith(prefix)) {
                count++;
            }
        }
        return count;
    }

    /** Polls devices that must stay active while something else happens; fails the test if one does not. */
    final class OthersWatch {
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Map<String, String> seen = new ConcurrentHashMap<>();
        private final Thread thread;
        volatile int samples;

        OthersWatch(List<String> names) {
            thread = new Thread(() -> {
                while (!stop.get()) {
                    for (String name : names) {
                        String status = status(name);
                        if (!"active".equals(status)) {
                            seen.putIfAbsent(name, status);
                        }
                    }
                    samples++;
                    try {
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "field-lab-others");
            thread.setDaemon(true);
            thread.start();
        }

        void stopAndAssertUntouched() {
            stop.set(true);
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertTrue("watched at least once", samples > 0);
            assertEquals("devices elsewhere left alone", Map.of(), seen);
        }
    }
}
