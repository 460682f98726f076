package io.wasmiot.agent.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

import org.junit.Test;
import org.xbill.DNS.Section;

import io.wasmiot.agent.internal.mdns.Loopback;
import io.wasmiot.agent.internal.mdns.TestBrowser;

/** The DS component's life: one device up on activation, registered, closed on deactivation. */
public class AgentComponentTest {
    private final TestHttp http = new TestHttp();

    private static FleetSettings.Builder fleet() {
        // mDNS stays off here: the responder is exercised by the simulator's process test.
        return TestFleets.withoutMdns();
    }

    @Test
    public void activationStartsOneRegisteredDeviceAndDeactivationClosesIt() throws Exception {
        int port = TestHttp.freePort();
        try (StandInOrchestrator orchestrator = new StandInOrchestrator(0, 0)) {
            AgentSettings settings = AgentSettings.resolve(Map.of("name", "java-device", "port", port,
                    "orchestratorUrl", orchestrator.url().toString()), name -> null, () -> "host");
            AgentComponent component = new AgentComponent(settings, fleet());

            Device device = component.device();
            assertEquals(DeviceState.UP, device.state());
            assertEquals(port, device.port());
            assertEquals(200, http.get(port, "/health").statusCode());
            Await.until("the registration", Duration.ofSeconds(5), () -> orchestrator.accepted().size() == 1);
            RegistrationTest.assertReferenceBody(orchestrator.accepted().get(0), "java-device", port);

            component.deactivate();

            assertFalse(TestHttp.accepts(port));
            assertEquals(DeviceState.CLOSED, device.state());
        }
    }

    @Test
    public void withMdnsItIsVisibleRightAfterItsProbesAndClosesWithinTheBound() throws Exception {
        Loopback.assumeOnlyLoopback();
        int port = TestHttp.freePort();
        AgentSettings settings = AgentSettings.resolve(Map.of("name", "mdns-device", "port", port,
                "mdnsAddress", "127.0.0.1"), name -> null, () -> "host");
        try (TestBrowser browser = new TestBrowser()) {
            long started = System.nanoTime();
            AgentComponent component = new AgentComponent(settings, FleetSettings.builder()
                    .closeTimeout(Duration.ofSeconds(6)));

            Await.until("announced", Duration.ofSeconds(10), () -> browser.resolved("mdns-device", port));
            TestBrowser.Received announced = browser.received(d -> d.announces("mdns-device")).get(0);
            long probes = browser.received(d -> d.isQuery() && d.nanos() <= announced.nanos()
                    && d.records(Section.AUTHORITY).stream().anyMatch(r -> r.rdataToString().startsWith("mdns-device"))).size();
            assertEquals("three probes before the announcement", 3, probes);
            System.out.printf("AgentComponent: visible to an independent listener %d ms after activation began%n",
                    (announced.nanos() - started) / 1_000_000);
            assertEquals(200, http.get(port, "/health").statusCode());

            long closing = System.nanoTime();
            component.deactivate();

            long tookMillis = (System.nanoTime() - closing) / 1_000_000;
            assertTrue("deactivation took " + tookMillis + " ms", tookMillis < 7000);
            assertFalse(TestHttp.accepts(port));
            Await.until("its goodbye", Duration.ofSeconds(5), () -> browser.goodbyes().contains("mdns-device"));
            Await.until("its mDNS threads ended", Duration.ofSeconds(5), () -> Thread.getAllStackTraces().keySet()
                    .stream().noneMatch(t -> t.getName().startsWith("wasmiot-agent-mdns") && t.isAlive()));
        }
    }

    @Test
    public void aTakenPortFailsActivation() throws Exception {
        int port = TestHttp.freePort();
        try (ServerSocket taken = new ServerSocket(port, 1, java.net.InetAddress.getByName("0.0.0.0"))) {
            AgentSettings settings = AgentSettings.resolve(Map.of("name", "blocked", "port", port), name -> null,
                    () -> "host");

            Exception failure = assertThrows(Exception.class, () -> new AgentComponent(settings, fleet()));
            assertEquals(true, failure.getMessage().contains("cannot listen on port " + port));
        }
    }
}
