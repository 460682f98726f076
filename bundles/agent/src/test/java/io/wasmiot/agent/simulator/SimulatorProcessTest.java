package io.wasmiot.agent.simulator;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.After;
import org.junit.Assume;
import org.junit.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import io.wasmiot.agent.internal.Await;
import io.wasmiot.agent.internal.TestHttp;
import io.wasmiot.agent.internal.mdns.TestBrowser;

/**
 * The simulator as the gateway's tests run it: a separate JVM driven through stdin/stdout, seen
 * over real mDNS by an independent listener in this JVM ({@link TestBrowser}). The mDNS tests run
 * only where loopback is the only interface up (the {@code bin/netns-run} namespace), so no
 * multicast leaves the machine.
 */
public class SimulatorProcessTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final ProtocolLines out = new ProtocolLines();
    private Process simulator;
    private TestBrowser browser;

    @After
    public void stop() throws Exception {
        if (simulator != null && simulator.isAlive()) {
            simulator.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    public void aUsageErrorExitsWith2AndSaysWhy() throws Exception {
        Process process = start(List.of("--devices", "2", "--fault", "sloow"), false);

        assertTrue(process.waitFor(20, TimeUnit.SECONDS));
        assertEquals(2, process.exitValue());
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(stderr, stderr.contains("unknown fault mode 'sloow'"));
        assertTrue(stderr, stderr.contains("usage:"));
        assertEquals("", new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    public void twentyDevicesAdvertiseSayGoodbyeMoveAndLeaveOnSigterm() throws Exception {
        Assume.assumeTrue("mDNS only inside the loopback-only namespace (bin/netns-run)", onlyLoopbackIsUp());
        browser = new TestBrowser();
        int basePort = TestHttp.freePorts(21);
        simulator = start(List.of("--devices", "20", "--base-port", Integer.toString(basePort), "--mdns-address",
                "127.0.0.1"), true);
        Writer commands = new java.io.OutputStreamWriter(simulator.getOutputStream(), StandardCharsets.UTF_8);

        Map<String, Integer> ports = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            String[] up = out.next(WAIT).split(" ");
            assertEquals("UP", up[0]);
            ports.put(up[1], Integer.parseInt(up[2].substring("127.0.0.1:".length())));
        }
        assertEquals("READY 20", out.next(WAIT));
        assertEquals(20, ports.size());
        Await.until(() -> "all 20 resolved with their TXT and port; have " + browser.services().keySet(), WAIT,
                () -> ports.entrySet().stream().allMatch(e -> browser.resolved(e.getKey(), e.getValue())));

        send(commands, "goodbye sim-0005");
        assertEquals("GONE sim-0005", out.next(WAIT));
        Await.until("the goodbye of sim-0005", WAIT, () -> browser.goodbyes().contains("sim-0005"));
        assertEquals("only sim-0005 said goodbye", Set.of("sim-0005"), Set.copyOf(browser.goodbyes()));

        send(commands, "return sim-0005");
        assertEquals("UP sim-0005 127.0.0.1:" + ports.get("sim-0005"), out.next(WAIT));
        Await.until("sim-0005 announced again", WAIT, () -> browser.resolved("sim-0005", ports.get("sim-0005")));

        int newPort = basePort + 20;
        send(commands, "move sim-0003 " + newPort);
        assertEquals("MOVED sim-0003 127.0.0.1:" + newPort, out.next(WAIT));
        assertEquals(200, new TestHttp().get(newPort, "/health").statusCode());
        Await.until("sim-0003 announced on its new port", WAIT, () -> browser.resolved("sim-0003", newPort));

        send(commands, "checks sim-0003");
        assertEquals("CHECKS sim-0003 1", out.next(WAIT));

        // End of input does not stop it; SIGTERM does, with a goodbye from every device.
        simulator.getOutputStream().close();
        browser.clear();
        simulator.destroy();
        Set<String> names = ports.keySet();
        Await.until(() -> "goodbyes from all 20; missing " + names.stream().filter(n -> !browser.goodbyes().contains(n))
                .sorted().collect(Collectors.toList()), WAIT, () -> browser.goodbyes().containsAll(names));
        assertTrue(simulator.waitFor(15, TimeUnit.SECONDS));
        assertEquals(143, simulator.exitValue());
        assertFalse(TestHttp.accepts(ports.get("sim-0001")));
    }

    @Test
    public void pythonLikeRestartDownUpShortLifetimesAndNoGoodbyeOnSigterm() throws Exception {
        Assume.assumeTrue("mDNS only inside the loopback-only namespace (bin/netns-run)", onlyLoopbackIsUp());
        browser = new TestBrowser();
        int basePort = TestHttp.freePorts(4);
        simulator = start(List.of("--devices", "3", "--base-port", Integer.toString(basePort), "--mdns-address",
                "127.0.0.1", "--no-goodbye", "--host-ttl", "7", "--other-ttl", "70"), true);
        Writer commands = new java.io.OutputStreamWriter(simulator.getOutputStream(), StandardCharsets.UTF_8);
        for (int i = 0; i < 3; i++) {
            assertTrue(out.next(WAIT).startsWith("UP sim-000"));
        }
        assertEquals("READY 3", out.next(WAIT));
        Await.until("all 3 resolved", WAIT, () -> browser.resolved("sim-0001", basePort)
                && browser.resolved("sim-0002", basePort + 1) && browser.resolved("sim-0003", basePort + 2));
        TestBrowser.Service first = browser.service("sim-0001");
        assertEquals("--host-ttl: SRV", 7, first.srvTtl());
        assertEquals("--other-ttl: TXT", 70, first.txtTtl());
        assertEquals("--other-ttl: PTR", 70, first.ptrTtl());

        // restart on another port: probed and announced again, no goodbye for the old records.
        browser.clear();
        int otherPort = basePort + 3;
        send(commands, "restart sim-0001 " + otherPort);
        assertEquals("RESTARTED sim-0001 127.0.0.1:" + otherPort, out.next(WAIT));
        Await.until("sim-0001 announced on its new port", WAIT, () -> browser.resolved("sim-0001", otherPort));
        assertEquals(200, new TestHttp().get(otherPort, "/health").statusCode());
        assertFalse("the old port is closed", TestHttp.accepts(basePort));
        assertEquals("probed three times before it was announced", 3, browser.received(d -> d.isQuery()
                && !d.records(Section.AUTHORITY).isEmpty()).size());
        // restart on the same port.
        send(commands, "restart sim-0001");
        assertEquals("RESTARTED sim-0001 127.0.0.1:" + otherPort, out.next(WAIT));
        assertEquals(200, new TestHttp().get(otherPort, "/health").statusCode());

        // down: nothing said, nothing answered; up: back.
        send(commands, "down sim-0002");
        assertEquals("DOWN sim-0002", out.next(WAIT));
        assertFalse(TestHttp.accepts(basePort + 1));
        browser.clear();
        Message query = new Message(0);
        query.addRecord(Record.newRecord(instance("sim-0002"), Type.SRV, DClass.IN), Section.QUESTION);
        query.addRecord(Record.newRecord(instance("sim-0003"), Type.SRV, DClass.IN), Section.QUESTION);
        browser.send(query);
        // Both questions are answered in one go: once sim-0003 is, sim-0002 would have been too.
        Await.until("sim-0003 answered", WAIT, () -> answeredSrv("sim-0003"));
        assertFalse("a device that is down answers nothing", answeredSrv("sim-0002"));
        send(commands, "up sim-0002");
        assertEquals("UP sim-0002 127.0.0.1:" + (basePort + 1), out.next(WAIT));
        Await.until("sim-0002 announced again", WAIT, () -> answeredSrv("sim-0002"));
        send(commands, "up sim-0002");
        assertTrue(out.next(WAIT).startsWith("ERROR cannot bring up sim-0002: it is up"));
        assertEquals("no goodbye so far", List.of(), browser.goodbyes());

        // SIGTERM with --no-goodbye: the devices vanish without a word.
        simulator.getOutputStream().close();
        simulator.destroy();
        assertTrue(simulator.waitFor(15, TimeUnit.SECONDS));
        assertEquals(143, simulator.exitValue());
        // Our own question comes back after anything the simulator sent before it exited.
        browser.send(TestBrowser.query(instance("marker"), Type.SRV));
        Await.until("the marker", WAIT, () -> browser.received(d -> d.isQuery() && d.records(Section.QUESTION)
                .stream().anyMatch(r -> r.getName().equals(instance("marker")))).size() == 1);
        assertEquals("no goodbyes", List.of(), browser.goodbyes());
    }

    private static Name instance(String name) {
        return Name.fromConstantString(name + "._webthing._tcp.local.");
    }

    /** Whether an SRV for {@code name} came as an answer (announcements carry theirs there too). */
    private boolean answeredSrv(String name) {
        return browser.received(d -> d.isResponse()).stream().anyMatch(d -> d.records(Section.ANSWER).stream()
                .anyMatch(r -> r instanceof SRVRecord && r.getTTL() > 0 && r.getName().equals(instance(name))));
    }

    @Test
    public void bareRecordsCarryOddNamesRawTxtAndGoodbyes() throws Exception {
        Assume.assumeTrue("mDNS only inside the loopback-only namespace (bin/netns-run)", onlyLoopbackIsUp());
        browser = new TestBrowser();
        int basePort = TestHttp.freePorts(1);
        simulator = start(List.of("--devices", "1", "--base-port", Integer.toString(basePort), "--mdns-address",
                "127.0.0.1"), true);
        Writer commands = new java.io.OutputStreamWriter(simulator.getOutputStream(), StandardCharsets.UTF_8);
        assertTrue(out.next(WAIT).startsWith("UP sim-0001 "));
        assertEquals("READY 1", out.next(WAIT));

        String name = "odd name \"q\" \u8a2d\u5099";
        String junk = "j".repeat(240);
        send(commands, "record " + PercentText.encode(name) + " 0 address=203.0.113.9 junk=" + junk + " bad=%FF%FE");
        assertEquals("RECORDED " + PercentText.encode(name), out.next(WAIT));
        Await.until(() -> "the record with its port and TXT; have " + browser.services(), WAIT, () -> {
            TestBrowser.Service service = browser.service(name);
            return service != null && service.port() == 0 && "203.0.113.9".equals(service.txt().get("address"))
                    && junk.equals(service.txt().get("junk"))
                    // the bytes travel as they were given: invalid UTF-8 reads as U+FFFD here
                    && "\ufffd\ufffd".equals(service.txt().get("bad"));
        });
        send(commands, "unrecord " + PercentText.encode(name));
        assertEquals("UNRECORDED " + PercentText.encode(name), out.next(WAIT));
        Await.until("the record's goodbye", WAIT, () -> browser.goodbyes().contains(name));
        send(commands, "unrecord " + PercentText.encode(name));
        assertTrue(out.next(WAIT).startsWith("ERROR no record named"));

        // A name longer than a DNS label goes out as a corrupt datagram; a TXT string over 255 bytes is refused.
        send(commands, "record " + "X".repeat(200) + " 80");
        assertEquals("RECORDED " + "X".repeat(200), out.next(WAIT));
        Await.until("the corrupt datagram", WAIT, () -> !browser.received(d -> d.message() == null).isEmpty());
        send(commands, "record toolong 80 k=" + "v".repeat(300));
        String refused = out.next(WAIT);
        assertTrue(refused, refused.startsWith("ERROR cannot advertise 'toolong': a TXT string of 302 bytes"));
    }

    private static void send(Writer commands, String line) throws IOException {
        commands.write(line + "\n");
        commands.flush();
    }

    /** Starts {@code SimulatorMain} in a new JVM on this test's class path. */
    private Process start(List<String> args, boolean readStdout) throws IOException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                new File(System.getProperty("java.home"), "bin/java").getPath(),
                "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-cp", classPath, SimulatorMain.class.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        if (readStdout) {
            File log = new File("target", "simulator-process-test.log");
            Files.createDirectories(log.toPath().getParent());
            builder.redirectError(log);
        }
        Process process = builder.start();
        if (readStdout) {
            Thread reader = new Thread(() -> {
                try (BufferedReader lines = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        out.add(line);
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, "simulator-stdout");
            reader.setDaemon(true);
            reader.start();
        }
        return process;
    }

    private static boolean onlyLoopbackIsUp() throws SocketException {
        for (NetworkInterface candidate : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (candidate.isUp() && !candidate.isLoopback()) {
                return false;
            }
        }
        return true;
    }
}
