package io.wasmiot.gateway.probe.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.After;

import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.model.ProbeResult;

/**
 * The fixture of the prober's tests (one class a behaviour): probers and devices made here are
 * closed after each test, with the bounds the tests assume.
 */
abstract class ProberTestBase {
    static final Duration CONNECT_TIMEOUT = Duration.ofMillis(500);
    static final Duration READ_TIMEOUT = Duration.ofMillis(400);
    static final int MAX_DESCRIPTION = 65536;
    static final int MAX_HEALTH = 4096;
    static final String LOCALHOST = "127.0.0.1";

    final List<AutoCloseable> devices = new ArrayList<>();
    final List<HttpDeviceProber> probers = new ArrayList<>();

    @After
    public void tearDown() throws Exception {
        for (HttpDeviceProber prober : probers) {
            prober.close(); // a second close (after a test closed it) must be harmless
        }
        for (AutoCloseable device : devices) {
            device.close();
        }
    }

    void assertDescriptionFails(String body, String expectedFailurePrefix) throws Exception {
        StubDevice device = device().answer(HttpDeviceProber.DESCRIPTION_PATH, StubDevice.json(200, body));
        ProbeResult result = await(prober().describe(on(device, LOCALHOST)));
        assertFalse(body, result.succeeded());
        assertNotNull(result.failure());
        assertTrue("for " + body + ": " + result.failure(), result.failure().startsWith(expectedFailurePrefix));
        assertEquals(List.of(LOCALHOST), result.failedAddresses());
    }

    HttpDeviceProber prober() {
        if (probers.isEmpty()) {
            probers.add(new HttpDeviceProber(settings(READ_TIMEOUT, 8), "wasmiot-probe-test"));
        }
        return probers.get(0);
    }

    HttpDeviceProber prober(ProbeSettings settings, String threadNamePrefix) {
        HttpDeviceProber prober = new HttpDeviceProber(settings, threadNamePrefix);
        probers.add(prober);
        return prober;
    }

    static ProbeSettings settings(Duration readTimeout, int concurrency) {
        return new ProbeSettings(CONNECT_TIMEOUT, readTimeout, MAX_DESCRIPTION, MAX_HEALTH, concurrency);
    }

    StubDevice device() throws IOException {
        StubDevice device = StubDevice.onLoopback();
        devices.add(device);
        return device;
    }

    RawDevice rawDevice(RawDevice.Behaviour behaviour) throws IOException {
        RawDevice device = new RawDevice(behaviour);
        devices.add(device);
        return device;
    }

    static Communication on(StubDevice device, String... addresses) {
        return on(device.port(), addresses);
    }

    static Communication on(int port, String... addresses) {
        return new Communication(Arrays.asList(addresses), port);
    }

    static ProbeResult await(CompletionStage<ProbeResult> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static byte[] chunk(int size) {
        byte[] data = new byte[size];
        Arrays.fill(data, (byte) 'x');
        byte[] head = (Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] framed = Arrays.copyOf(head, head.length + size + 2);
        System.arraycopy(data, 0, framed, head.length, size);
        framed[framed.length - 2] = '\r';
        framed[framed.length - 1] = '\n';
        return framed;
    }

    static int freePort(InetAddress address) throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, address)) {
            return probe.getLocalPort();
        }
    }

    static long liveThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith(prefix + "-"))
                .count();
    }

    static void awaitCondition(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(5); // polling interval, not a wait for the event itself
        }
    }
}
