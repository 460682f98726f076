package io.wasmiot.agent.simulator;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import io.wasmiot.agent.internal.FaultMode;
import io.wasmiot.agent.internal.mdns.RecordLifetimes;
import io.wasmiot.agent.simulator.SimulatorOptions.UsageException;

/** The simulator's command line (docs/contract.md §12). */
public class SimulatorOptionsTest {
    private static SimulatorOptions parse(String... args) throws UsageException {
        return SimulatorOptions.parse(Arrays.asList(args), name -> null);
    }

    @Test
    public void defaults() throws Exception {
        SimulatorOptions options = parse("--devices", "3");

        assertEquals(3, options.devices());
        assertEquals(40000, options.basePort());
        assertEquals("sim-", options.namePrefix());
        assertNull(options.orchestratorUrl());
        assertTrue(options.mdns());
        assertEquals(Duration.ofSeconds(10), options.faultAfter());
        assertEquals(Duration.ofSeconds(900), options.renewalTime());
        assertEquals(2, options.threads());
        assertNull(options.mdnsAddress());
        assertEquals(FaultMode.HEALTHY, options.faultFor(0));
        assertEquals(200, options.startRate(), 0);
        assertTrue(options.goodbyeOnStop());
        assertEquals(new RecordLifetimes(120, 4500), options.lifetimes());
    }

    @Test
    public void pythonLikeOptions() throws Exception {
        SimulatorOptions options = parse("--devices", "1", "--no-goodbye", "--host-ttl", "5", "--other-ttl=60");

        assertFalse(options.goodbyeOnStop());
        assertEquals(new RecordLifetimes(5, 60), options.lifetimes());
        assertUsageError("--host-ttl '0' must be a whole number from 1", "--devices", "1", "--host-ttl", "0");
        assertUsageError("--other-ttl '1.5' must be a whole number", "--devices", "1", "--other-ttl", "1.5");
        assertUsageError("--no-goodbye takes no value", "--devices", "1", "--no-goodbye=1");
        assertUsageError("--host-ttl needs a value", "--devices", "1", "--host-ttl");
        assertTrue(SimulatorOptions.usage().contains("--no-goodbye"));
        assertTrue(SimulatorOptions.usage().contains("restart NAME [PORT] | down NAME | up NAME [PORT]"));
    }

    @Test
    public void devicesPerDatagramPacksAsManyAsFitUnlessLimited() throws Exception {
        assertEquals(0, parse("--devices", "1").devicesPerDatagram());
        assertEquals(1, parse("--devices", "1", "--mdns-devices-per-datagram", "1").devicesPerDatagram());
        assertUsageError("--mdns-devices-per-datagram '-1' must be a whole number", "--devices", "1",
                "--mdns-devices-per-datagram", "-1");
        assertTrue(SimulatorOptions.usage().contains("--mdns-devices-per-datagram N"));
    }

    @Test
    public void everyOption() throws Exception {
        SimulatorOptions options = parse("--devices=20", "--base-port", "45000", "--name-prefix", "dev-",
                "--orchestrator-url", "http://127.0.0.1:3000/", "--no-mdns", "--fault", "slow:0.1",
                "--fault-after", "2.5", "--mdns-address", "127.0.0.1", "--renewal-seconds", "60", "--threads", "4",
                "--slow-delay", "9", "--flap-every", "3", "--renewal-pause", "0", "--start-rate", "50");

        assertEquals(20, options.devices());
        assertEquals(45000, options.basePort());
        assertEquals("dev-0001", options.deviceName(0));
        assertEquals("http://127.0.0.1:3000/", options.orchestratorUrl().toString());
        assertFalse(options.mdns());
        assertEquals(Duration.ofMillis(2500), options.faultAfter());
        assertEquals("127.0.0.1", options.mdnsAddress().getHostAddress());
        assertEquals(Duration.ofSeconds(60), options.renewalTime());
        assertEquals(4, options.threads());
        assertEquals(Duration.ofSeconds(9), options.slowDelay());
        assertEquals(3, options.flapEvery());
        assertEquals(Duration.ZERO, options.renewalPause());
        assertEquals(50, options.startRate(), 0);
    }

    @Test
    public void faultSharesAreLaidOutInOrderFromTheFirstDevice() throws Exception {
        SimulatorOptions options = parse("--devices", "20", "--fault", "slow:0.1", "--fault", "http500:0.05");

        List<FaultMode> modes = modes(options);
        assertEquals(List.of(FaultMode.SLOW, FaultMode.SLOW, FaultMode.HTTP500), modes.subList(0, 3));
        assertTrue(modes.subList(3, 20).stream().allMatch(FaultMode.HEALTHY::equals));
    }

    @Test
    public void sharesRoundAtCumulativeBoundaries() throws Exception {
        // 10 devices, 3 x 0.15: boundaries at round(1.5)=2, round(3.0)=3, round(4.5)=5
        SimulatorOptions options = parse("--devices", "10", "--fault", "slow:0.15", "--fault", "malformed:0.15",
                "--fault", "vanish:0.15");

        assertEquals(List.of(FaultMode.SLOW, FaultMode.SLOW, FaultMode.MALFORMED, FaultMode.VANISH, FaultMode.VANISH,
                FaultMode.HEALTHY), modes(options).subList(0, 6));
    }

    @Test
    public void aFaultWithoutAFractionIsEveryDevice() throws Exception {
        SimulatorOptions options = parse("--devices", "4", "--fault", "flapping");

        assertTrue(modes(options).stream().allMatch(FaultMode.FLAPPING::equals));
    }

    @Test
    public void namesArePaddedToFourDigitsOrMore() throws Exception {
        assertEquals("sim-0001", parse("--devices", "5").deviceName(0));
        assertEquals("sim-9999", parse("--devices", "9999").deviceName(9998));
        assertEquals("sim-00001", parse("--devices", "10000").deviceName(0));
        assertEquals("sim-10000", parse("--devices", "10000").deviceName(9999));
    }

    @Test
    public void environmentVariablesAreDefaults() throws Exception {
        Map<String, String> environment = Map.of("WASMIOT_ORCHESTRATOR_URL", "http://gw:3000",
                "WASMIOT_REGISTER_RENEWAL_TIME", "30");
        SimulatorOptions options = SimulatorOptions.parse(List.of("--devices", "1"), environment::get);

        assertEquals("http://gw:3000", options.orchestratorUrl().toString());
        assertEquals(Duration.ofSeconds(30), options.renewalTime());
        SimulatorOptions overridden = SimulatorOptions.parse(List.of("--devices", "1", "--orchestrator-url",
                "http://other:1", "--renewal-seconds", "5"), environment::get);
        assertEquals("http://other:1", overridden.orchestratorUrl().toString());
        assertEquals(Duration.ofSeconds(5), overridden.renewalTime());
    }

    @Test
    public void helpNeedsNothingElse() throws Exception {
        assertTrue(parse("--help").help());
        assertTrue(SimulatorOptions.usage().contains("--devices N"));
    }

    @Test
    public void usageErrorsNameTheProblem() {
        assertUsageError("--devices N is required");
        assertUsageError("unknown option '--bogus'", "--devices", "1", "--bogus", "x");
        assertUsageError("unknown option '--bogus'", "--devices", "1", "--bogus");
        assertUsageError("--devices needs a value", "--devices");
        assertUsageError("--devices 'ten' must be a whole number", "--devices", "ten");
        assertUsageError("--devices '-1' must be a whole number", "--devices", "-1");
        assertUsageError("unknown fault mode 'sloow'", "--devices", "1", "--fault", "sloow");
        assertUsageError("the fraction must be a number in (0, 1]", "--devices", "1", "--fault", "slow:0");
        assertUsageError("the fraction must be a number in (0, 1]", "--devices", "1", "--fault", "slow:1.5");
        assertUsageError("the fraction must be a number in (0, 1]", "--devices", "1", "--fault", "slow:half");
        assertUsageError("fractions add up to 1.2000", "--devices", "1", "--fault", "slow:0.6", "--fault",
                "http500:0.6");
        assertUsageError("--base-port '70000' must be a whole number from 1 to 65535", "--devices", "1",
                "--base-port", "70000");
        assertUsageError("leaves too few ports", "--devices", "100", "--base-port", "65500");
        assertUsageError("--mdns-address: 'localhost' is not an IPv4 address", "--devices", "1", "--mdns-address",
                "localhost");
        assertUsageError("--mdns-address: '300.1.1.1' is not an IPv4 address", "--devices", "1", "--mdns-address",
                "300.1.1.1");
        assertUsageError("--orchestrator-url 'ftp://x' is not an http(s) URL", "--devices", "1",
                "--orchestrator-url", "ftp://x");
        assertUsageError("--renewal-seconds '0' must be a number of seconds", "--devices", "1",
                "--renewal-seconds", "0");
        assertUsageError("--fault-after '-1' must be a number of seconds", "--devices", "1", "--fault-after", "-1");
        assertUsageError("--threads '0' must be a whole number", "--devices", "1", "--threads", "0");
        assertUsageError("--name-prefix 'a.b'", "--devices", "1", "--name-prefix", "a.b");
        assertUsageError("--no-mdns takes no value", "--devices", "1", "--no-mdns=yes");
        assertUsageError("unknown option 'extra'", "--devices", "1", "extra", "x");
        assertUsageError("--start-rate '0' must be a number of devices per second", "--devices", "1",
                "--start-rate", "0");
    }

    @Test
    public void aBadEnvironmentValueIsAUsageErrorToo() {
        try {
            SimulatorOptions.parse(List.of("--devices", "1"), Map.of("WASMIOT_REGISTER_RENEWAL_TIME", "soon")::get);
            fail("accepted");
        } catch (UsageException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("$WASMIOT_REGISTER_RENEWAL_TIME"));
        }
    }

    private static List<FaultMode> modes(SimulatorOptions options) {
        List<FaultMode> modes = new ArrayList<>();
        for (int i = 0; i < options.devices(); i++) {
            modes.add(options.faultFor(i));
        }
        return modes;
    }

    private static void assertUsageError(String expectedPart, String... args) {
        try {
            parse(args);
            fail("accepted " + Arrays.toString(args));
        } catch (UsageException e) {
            assertTrue("'" + e.getMessage() + "' should contain '" + expectedPart + "'",
                    e.getMessage().contains(expectedPart));
        }
    }
}
