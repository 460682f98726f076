package io.wasmiot.agent.simulator;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import io.wasmiot.agent.internal.TestHttp;

/** The stdin/stdout protocol, on an in-process simulator without mDNS. */
public class SimulatorProtocolTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final TestHttp http = new TestHttp();
    private final ProtocolLines out = new ProtocolLines();
    private final Map<String, Integer> ports = new HashMap<>();
    private Simulator simulator;

    @Before
    public void start() throws Exception {
        int basePort = TestHttp.freePorts(3);
        SimulatorOptions options = SimulatorOptions.parse(List.of("--devices", "3", "--no-mdns", "--mdns-address",
                "127.0.0.1", "--base-port", Integer.toString(basePort), "--fault", "http500:0.34", "--fault-after",
                "0.3", "--slow-delay", "0.5"), name -> null);
        simulator = new Simulator(options, new PrintStream(out, true, StandardCharsets.UTF_8));
        assertEquals(3, simulator.startInitialDevices());
        for (int i = 0; i < 3; i++) {
            String[] up = out.next(WAIT).split(" ");
            assertEquals("UP", up[0]);
            assertTrue(up[2], up[2].startsWith("127.0.0.1:"));
            ports.put(up[1], Integer.parseInt(up[2].substring("127.0.0.1:".length())));
        }
        assertEquals("READY 3", out.next(WAIT));
        assertEquals(Map.of("sim-0001", basePort, "sim-0002", basePort + 1, "sim-0003", basePort + 2), ports);
    }

    @After
    public void close() {
        simulator.close();
    }

    private String command(String line) throws InterruptedException {
        simulator.handle(line);
        return out.next(WAIT);
    }

    @Test
    public void faultsFromTheCommandLineApplyByIndex() throws Exception {
        assertEquals(500, http.get(ports.get("sim-0001"), "/health").statusCode());
        assertEquals(200, http.get(ports.get("sim-0002"), "/health").statusCode());
    }

    @Test
    public void recordCommandsSayWhatIsWrong() throws Exception {
        assertTrue(command("record odd%20name 80 path=/").startsWith("ERROR cannot advertise 'odd%20name': mDNS is off"));
        assertTrue(command("record x 70000").startsWith("ERROR port '70000'"));
        assertEquals("ERROR TXT entry 'novalue' is not KEY=VALUE", command("record x 80 novalue"));
        assertTrue(command("record x%G1 80").startsWith("ERROR '%' must be followed by two hex digits"));
        assertEquals("ERROR no record named 'x'", command("unrecord x"));
        assertTrue(command("record x").startsWith("ERROR 'record' takes a name, a port"));
    }

    @Test
    public void checksCountsHealthRequests() throws Exception {
        assertEquals("CHECKS sim-0002 0", command("checks sim-0002"));
        http.get(ports.get("sim-0002"), "/health");
        http.get(ports.get("sim-0002"), "/health");

        assertEquals("CHECKS sim-0002 2", command("checks sim-0002"));
    }

    @Test
    public void gatewaySaysWhatRegisterLastToldTheDevice() throws Exception {
        assertEquals("GATEWAY sim-0002 -", command("gateway sim-0002"));
        assertEquals(200, http.post(ports.get("sim-0002"), "/register", "{\"url\":\"http://127.0.0.1:3001\"}").statusCode());
        assertEquals("GATEWAY sim-0002 http://127.0.0.1:3001", command("gateway sim-0002"));
        assertEquals(200, http.post(ports.get("sim-0002"), "/register", "{\"url\":\"http://127.0.0.1:3002\"}").statusCode());
        assertEquals("GATEWAY sim-0002 http://127.0.0.1:3002", command("gateway sim-0002"));
        assertEquals("ERROR no device named 'sim-9999'", command("gateway sim-9999"));
    }

    @Test
    public void vanishThenReturnReopensTheSamePort() throws Exception {
        int port = ports.get("sim-0002");

        assertEquals("VANISHED sim-0002", command("vanish sim-0002"));
        assertFalse(TestHttp.accepts(port));

        assertEquals("UP sim-0002 127.0.0.1:" + port, command("return sim-0002"));
        assertEquals(200, http.get(port, "/health").statusCode());
    }

    @Test
    public void goodbyeThenReturn() throws Exception {
        int port = ports.get("sim-0003");

        assertEquals("GONE sim-0003", command("goodbye sim-0003"));
        assertFalse(TestHttp.accepts(port));
        assertTrue(command("goodbye sim-0003").startsWith("ERROR cannot say goodbye sim-0003: it is gone"));

        assertEquals("UP sim-0003 127.0.0.1:" + port, command("return sim-0003"));
        assertEquals(200, http.get(port, "/health").statusCode());
    }

    @Test
    public void moveChangesThePort() throws Exception {
        int oldPort = ports.get("sim-0002");
        int newPort = TestHttp.freePort();

        assertEquals("MOVED sim-0002 127.0.0.1:" + newPort, command("move sim-0002 " + newPort));

        assertEquals(200, http.get(newPort, "/health").statusCode());
        assertFalse(TestHttp.accepts(oldPort));
        assertTrue(command("move sim-0002 " + newPort).startsWith("ERROR sim-0002 already listens on port"));
    }

    @Test
    public void restartClosesAndReopensHttpOnTheSameOrAnotherPort() throws Exception {
        int port = ports.get("sim-0002");
        int newPort = TestHttp.freePort();

        assertEquals("RESTARTED sim-0002 127.0.0.1:" + port, command("restart sim-0002"));
        assertEquals(200, http.get(port, "/health").statusCode());
        assertEquals("a new process: uptime from the restart", 0,
                TestHttp.json(http.get(port, "/health")).get("uptime").asLong());

        assertEquals("RESTARTED sim-0002 127.0.0.1:" + newPort, command("restart sim-0002 " + newPort));
        assertEquals(200, http.get(newPort, "/health").statusCode());
        assertFalse(TestHttp.accepts(port));
        assertEquals("ERROR 'restart' takes 1 to 2 arguments", command("restart"));
    }

    @Test
    public void downThenUp() throws Exception {
        int port = ports.get("sim-0003");

        assertEquals("DOWN sim-0003", command("down sim-0003"));
        assertFalse(TestHttp.accepts(port));
        assertTrue(command("down sim-0003").startsWith("ERROR cannot take down sim-0003: it is down"));
        assertTrue(command("return sim-0003").startsWith("ERROR cannot return sim-0003: it is down"));

        assertEquals("UP sim-0003 127.0.0.1:" + port, command("up sim-0003"));
        assertEquals(200, http.get(port, "/health").statusCode());
        int newPort = TestHttp.freePort();
        assertEquals("DOWN sim-0003", command("down sim-0003"));
        assertEquals("UP sim-0003 127.0.0.1:" + newPort, command("up sim-0003 " + newPort));
        assertEquals(200, http.get(newPort, "/health").statusCode());
    }

    @Test
    public void faultChangesHowADeviceAnswers() throws Exception {
        int port = ports.get("sim-0002");

        assertEquals("FAULT sim-0002 malformed", command("fault sim-0002 malformed"));
        assertEquals(200, http.get(port, "/health").statusCode());
        assertTrue(http.get(port, "/health").body().contains("<not JSON>"));

        assertEquals("FAULT sim-0002 healthy", command("fault sim-0002 healthy"));
        assertTrue(TestHttp.json(http.get(port, "/health")).has("cpuUsage"));
    }

    @Test
    public void aTimedFaultAnnouncesItselfWhenItFires() throws Exception {
        int port = ports.get("sim-0002");

        assertEquals("FAULT sim-0002 vanish", command("fault sim-0002 vanish"));

        assertEquals("VANISHED sim-0002", out.next(WAIT));
        assertFalse(TestHttp.accepts(port));
    }

    @Test
    public void addStartsMoreDevicesWithTheNextNames() throws Exception {
        simulator.handle("add 2");

        String first = out.next(WAIT);
        String second = out.next(WAIT);
        assertEquals("READY 5", out.next(WAIT));
        for (String line : List.of(first, second)) {
            String[] up = line.split(" ");
            assertEquals("UP", up[0]);
            assertTrue(up[1], up[1].equals("sim-0004") || up[1].equals("sim-0005"));
            int port = Integer.parseInt(up[2].substring("127.0.0.1:".length()));
            assertEquals(200, http.get(port, "/health").statusCode());
        }
    }

    @Test
    public void mistakesAreAnsweredWithOneErrorLine() throws Exception {
        assertTrue(command("dance sim-0001").startsWith("ERROR unknown command 'dance'"));
        assertEquals("ERROR no device named 'sim-9999'", command("checks sim-9999"));
        assertEquals("ERROR cannot return sim-0001: it is up", command("return sim-0001"));
        assertEquals("ERROR 'move' takes 2 arguments", command("move sim-0001"));
        assertEquals("ERROR port '99999' must be a whole number from 1 to 65535", command("move sim-0001 99999"));
        assertTrue(command("fault sim-0001 sideways").startsWith("ERROR unknown fault mode 'sideways'"));
        assertTrue(command("add many").startsWith("ERROR count 'many'"));
        simulator.handle("   ");
        assertTrue("a blank line is not answered", out.isEmpty());
    }
}
