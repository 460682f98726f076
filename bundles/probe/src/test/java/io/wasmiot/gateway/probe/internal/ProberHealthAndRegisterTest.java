package io.wasmiot.gateway.probe.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;

import org.junit.Assume;
import org.junit.Test;

import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.model.ProbeResult;

/**
 * Health checks (X-Forwarded-For, the orchestrator header, the first working address), addresses
 * (IPv6 in brackets, unusable ones) and telling a device its gateway (POST /register).
 */
public class ProberHealthAndRegisterTest extends ProberTestBase {
    @Test
    public void healthSendsForwardedForAndReadsTheOrchestratorHeader() throws Exception {
        StubDevice set = device().answer(HttpDeviceProber.HEALTH_PATH,
                StubDevice.json(200, "{\"cpuUsage\":3.1}", Map.of("Custom-Orchestrator-Set", "TRUE")));
        StubDevice notSet = device().answer(HttpDeviceProber.HEALTH_PATH,
                StubDevice.json(200, "{\"cpuUsage\":3.1}", Map.of("Custom-Orchestrator-Set", "false")));
        StubDevice silentAboutIt = device().answer(HttpDeviceProber.HEALTH_PATH, StubDevice.json(200, "{}"));

        ProbeResult first = await(prober().checkHealth(on(set, LOCALHOST), "127.0.0.1"));
        ProbeResult second = await(prober().checkHealth(on(notSet, LOCALHOST), null));
        ProbeResult third = await(prober().checkHealth(on(silentAboutIt, LOCALHOST), "  "));

        assertEquals("{\"cpuUsage\":3.1}", first.body());
        assertTrue(first.orchestratorSet());
        assertFalse(second.orchestratorSet());
        assertTrue(second.succeeded());
        assertFalse(third.orchestratorSet());
        assertEquals("127.0.0.1", set.requests.get(0).headers().getFirst("X-Forwarded-For"));
        assertEquals(HttpDeviceProber.HEALTH_PATH, set.requests.get(0).path());
        assertNull(notSet.requests.get(0).headers().getFirst("X-Forwarded-For"));
        assertNull(silentAboutIt.requests.get(0).headers().getFirst("X-Forwarded-For"));
    }

    @Test
    public void aNon200HealthAnswerIsNotSuccess() throws Exception {
        StubDevice failing = device().answer(HttpDeviceProber.HEALTH_PATH, StubDevice.json(500, "{\"status\":\"ok\"}"));
        StubDevice created = device().answer(HttpDeviceProber.HEALTH_PATH, StubDevice.json(201, "{\"status\":\"ok\"}"));

        ProbeResult serverError = await(prober().checkHealth(on(failing, LOCALHOST), null));
        ProbeResult notExactly200 = await(prober().checkHealth(on(created, LOCALHOST), null));

        assertEquals("127.0.0.1: HTTP 500", serverError.failure());
        assertEquals(List.of(LOCALHOST), serverError.failedAddresses());
        assertNull(serverError.body());
        assertEquals("127.0.0.1: HTTP 201", notExactly200.failure());
    }

    @Test
    public void healthStopsAtTheFirstWorkingAddress() throws Exception {
        StubDevice device = device().answer(HttpDeviceProber.HEALTH_PATH, StubDevice.json(200, "{}"));

        ProbeResult result = await(prober().checkHealth(on(device, "127.0.0.2", LOCALHOST, LOCALHOST), null));

        assertTrue(result.succeeded());
        assertEquals(List.of("127.0.0.2"), result.failedAddresses());
        assertEquals(1, device.requests.size());
    }

    @Test
    public void ipv6LoopbackGoesInBrackets() throws Exception {
        InetAddress ipv6Loopback = InetAddress.getByName("::1");
        StubDevice device;
        try {
            device = new StubDevice(ipv6Loopback);
        } catch (IOException e) {
            Assume.assumeNoException("::1 is not available here", e);
            return;
        }
        devices.add(device.answer(HttpDeviceProber.DESCRIPTION_PATH, StubDevice.json(200, "{\"v6\":true}")));
        int refusingPort = freePort(ipv6Loopback);

        ProbeResult result = await(prober().describe(on(device, "::1")));
        ProbeResult refused = await(prober().describe(new Communication(List.of("::1"), refusingPort)));

        assertTrue(result.failure(), result.succeeded());
        assertEquals("::1", result.address());
        assertEquals("[::1]:" + device.port(), device.requests.get(0).headers().getFirst("Host"));
        assertEquals("[::1]: connection refused", refused.failure());
        assertEquals(List.of("::1"), refused.failedAddresses());
    }

    @Test
    public void unusableAddressesFailWithAReasonInsteadOfThrowing() throws Exception {
        HttpDeviceProber prober = prober();
        // An unknown zone is refused by the JDK's resolver before anything is sent.
        ProbeResult unknownZone = await(prober.describe(new Communication(List.of("fe80::1%nosuchif0"), 5000)));
        ProbeResult smuggling = await(prober.describe(new Communication(List.of("127.0.0.1/x?y", "a b"), 5000)));

        assertTrue(unknownZone.failure(), unknownZone.failure().startsWith("[fe80::1%nosuchif0]: "));
        assertEquals(List.of("fe80::1%nosuchif0"), unknownZone.failedAddresses());
        assertTrue(smuggling.failure(), smuggling.failure().startsWith("127.0.0.1/x?y: cannot build request (not a host"));
        assertEquals(List.of("127.0.0.1/x?y", "a b"), smuggling.failedAddresses());
        assertEquals(2, smuggling.failure().split("; ").length);
    }

    @Test
    public void nullArgumentsFailInsteadOfThrowing() throws Exception {
        HttpDeviceProber prober = prober();
        assertFalse(await(prober.describe(null)).succeeded());
        assertFalse(await(prober.checkHealth(null, "x")).succeeded());
        assertFalse(await(prober.tellGateway(null, LOCALHOST, "http://127.0.0.1:3000")).succeeded());
        assertFalse(await(prober.tellGateway(new Communication(List.of(LOCALHOST), 5000), null, "u")).succeeded());
        assertFalse(await(prober.tellGateway(new Communication(List.of(LOCALHOST), 5000), LOCALHOST, null)).succeeded());
    }

    @Test
    public void tellGatewayPostsTheUrlAsJson() throws Exception {
        StubDevice device = device().answer(HttpDeviceProber.REGISTER_PATH, StubDevice.json(200, "{\"status\":\"success\"}"));

        ProbeResult result = await(prober().tellGateway(on(device, "127.0.0.2"), LOCALHOST, "http://127.0.0.1:3000"));

        assertTrue(result.failure(), result.succeeded());
        assertEquals("{\"status\":\"success\"}", result.body());
        assertEquals(LOCALHOST, result.address());
        StubDevice.Recorded request = device.requests.get(0);
        assertEquals("POST", request.method());
        assertEquals(HttpDeviceProber.REGISTER_PATH, request.path());
        assertEquals("application/json", request.headers().getFirst("Content-Type"));
        assertEquals("{\"url\":\"http://127.0.0.1:3000\"}", request.body());
    }

    @Test
    public void tellGatewayTakesAny2xxAndReportsANonObjectBodyAsEmptyObject() throws Exception {
        StubDevice noContent = device().answer(HttpDeviceProber.REGISTER_PATH, StubDevice.json(204, ""));
        StubDevice plainText = device().answer(HttpDeviceProber.REGISTER_PATH, StubDevice.json(200, "OK"));
        StubDevice huge = device().answer(HttpDeviceProber.REGISTER_PATH, StubDevice.json(200, "{\"x\":\"" + "y".repeat(MAX_HEALTH) + "\"}"));
        StubDevice refusing = device().answer(HttpDeviceProber.REGISTER_PATH, StubDevice.json(400, "{\"error\":\"no\"}"));
        String gateway = "http://127.0.0.1:3000";

        assertEquals("{}", await(prober().tellGateway(on(noContent, LOCALHOST), LOCALHOST, gateway)).body());
        assertEquals("{}", await(prober().tellGateway(on(plainText, LOCALHOST), LOCALHOST, gateway)).body());
        assertEquals("{}", await(prober().tellGateway(on(huge, LOCALHOST), LOCALHOST, gateway)).body());
        ProbeResult refused = await(prober().tellGateway(on(refusing, LOCALHOST), LOCALHOST, gateway));
        assertEquals("127.0.0.1: HTTP 400", refused.failure());
        assertEquals(List.of(LOCALHOST), refused.failedAddresses());
    }
}
