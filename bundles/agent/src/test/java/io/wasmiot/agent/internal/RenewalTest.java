package io.wasmiot.agent.internal;

import static org.junit.Assert.assertEquals;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Test;

/** Renewal (docs/contract.md §8): no health check for the renewal time, then goodbye, pause, advertise, register. */
public class RenewalTest {
    private final TestHttp http = new TestHttp();
    private DeviceFleet fleet;
    private StandInOrchestrator orchestrator;

    @After
    public void close() {
        if (fleet != null) {
            fleet.close();
        }
        if (orchestrator != null) {
            orchestrator.close();
        }
    }

    private Device start(java.net.URI orchestratorUrl, Duration renewal) throws Exception {
        fleet = new DeviceFleet(TestFleets.withoutMdns().build(), FleetListener.NONE);
        return fleet.start(new DeviceSettings("renewing", 0, orchestratorUrl, renewal, null, FaultMode.HEALTHY))
                .get(10, TimeUnit.SECONDS);
    }

    @Test
    public void aDeviceNobodyChecksRegistersAgain() throws Exception {
        orchestrator = new StandInOrchestrator(0, 0);
        Device device = start(orchestrator.url(), Duration.ofMillis(500));
        Await.until("the first registration", Duration.ofSeconds(5), () -> device.registrations() == 1);

        Await.until(() -> "two renewals, got " + device.renewals(), Duration.ofSeconds(10),
                () -> device.renewals() >= 2);

        Await.until("their registrations", Duration.ofSeconds(5), () -> device.registrations() >= 3);
        RegistrationTest.assertReferenceBody(orchestrator.accepted().get(2), "renewing", device.port());
        assertEquals(200, http.get(device.port(), "/health").statusCode());
    }

    @Test
    public void healthChecksPostponeRenewal() throws Exception {
        orchestrator = new StandInOrchestrator(0, 0);
        Device device = start(orchestrator.url(), Duration.ofMillis(1500));
        Await.until("the first registration", Duration.ofSeconds(5), () -> device.registrations() == 1);

        // Checked every 200 ms for 3 s: twice the renewal time goes by without a renewal.
        long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < until) {
            assertEquals(200, http.get(device.port(), "/health").statusCode());
            Thread.sleep(200);
        }
        assertEquals(0, device.renewals());
        assertEquals(1, orchestrator.accepted().size());

        Await.until("a renewal once the checks stop", Duration.ofSeconds(5), () -> device.renewals() == 1);
        Await.until("its registration", Duration.ofSeconds(5), () -> orchestrator.accepted().size() == 2);
    }

    @Test
    public void renewalRegistersWithTheGatewayThatAnnouncedItself() throws Exception {
        orchestrator = new StandInOrchestrator(0, 0);
        Device device = start(null, Duration.ofMillis(500));
        assertEquals(200, http.post(device.port(), "/register", "{\"url\":\"" + orchestrator.url() + "\"}")
                .statusCode());

        Await.until("a registration at the announced gateway", Duration.ofSeconds(10),
                () -> orchestrator.accepted().size() == 1);
        RegistrationTest.assertReferenceBody(orchestrator.accepted().get(0), "renewing", device.port());
        assertEquals(1, device.renewals());
    }
}
