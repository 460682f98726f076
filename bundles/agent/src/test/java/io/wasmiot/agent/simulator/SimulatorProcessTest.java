package io.wasmiot.agent.simulator;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.Inet4Address;
import java.net.InetAddress;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceInfo;
import javax.jmdns.ServiceListener;

import org.junit.After;
import org.junit.Assume;
import org.junit.Test;

import io.wasmiot.agent.internal.Await;
import io.wasmiot.agent.internal.TestHttp;

/**
 * The simulator as the gateway's tests run it: a separate JVM driven through stdin/stdout, seen
 * over real mDNS by an independent JmDNS browser in this JVM (two responders in one JVM are not
 * dependable: TOOLCHAIN). The mDNS test runs only where loopback is the only interface up (the
 * {@code bin/netns-run} namespace), so no multicast leaves the machine.
 */
public class SimulatorProcessTest {
    private static final String TYPE = "_webthing._tcp.local.";
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final ProtocolLines out = new ProtocolLines();
    private Process simulator;
    private JmDNS browser;

    @After
    public void stop() throws Exception {
        if (simulator != null && simulator.isAlive()) {
            simulator.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (browser != null) {
            // JmDNS.close() takes seconds; bounded so a stuck close cannot hang the build.
            Thread closer = new Thread(() -> {
                try {
                    browser.close();
                } catch (IOException e) {
                    // the test is over
                }
            }, "it-browser-close");
            closer.setDaemon(true);
            closer.start();
            closer.join(8000);
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
        Map<String, ServiceInfo> resolved = new ConcurrentHashMap<>();
        Set<String> removed = ConcurrentHashMap.newKeySet();
        browser = JmDNS.create(InetAddress.getByName("127.0.0.1"), "agent-it-browser");
        browser.addServiceListener(TYPE, new ServiceListener() {
            @Override
            public void serviceAdded(ServiceEvent event) {
                event.getDNS().requestServiceInfo(event.getType(), event.getName());
            }

            @Override
            public void serviceRemoved(ServiceEvent event) {
                resolved.remove(event.getName());
                removed.add(event.getName());
            }

            @Override
            public void serviceResolved(ServiceEvent event) {
                resolved.put(event.getName(), event.getInfo());
            }
        });
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

        Await.until(() -> "all 20 resolved with their TXT and port; have " + describe(resolved, ports), WAIT, () -> {
            boolean all = true;
            for (Map.Entry<String, Integer> expected : ports.entrySet()) {
                if (!advertisedAsExpected(resolved.get(expected.getKey()), expected.getValue())) {
                    all = false;
                    // jmdns does not ask again for a TXT or SRV answer lost on the way; a browser does.
                    ServiceInfo again = browser.getServiceInfo(TYPE, expected.getKey(), 200);
                    if (again != null && again.hasData()) {
                        resolved.put(expected.getKey(), again);
                    }
                }
            }
            return all;
        });

        send(commands, "goodbye sim-0005");
        assertEquals("GONE sim-0005", out.next(WAIT));
        Await.until("the goodbye of sim-0005", WAIT, () -> removed.contains("sim-0005"));
        assertEquals("only sim-0005 said goodbye", Set.of("sim-0005"), removed);

        send(commands, "return sim-0005");
        assertEquals("UP sim-0005 127.0.0.1:" + ports.get("sim-0005"), out.next(WAIT));
        Await.until("sim-0005 announced again", WAIT,
                () -> advertisedAsExpected(resolved.get("sim-0005"), ports.get("sim-0005")));

        // A jmdns listener is not told of a goodbye followed within seconds by a new announcement
        // (its cache reaper runs every 10 s), so the new port is checked the way a gateway would
        // re-resolve: from the browser's cache, asking the network when it lacks data.
        int newPort = basePort + 20;
        send(commands, "move sim-0003 " + newPort);
        assertEquals("MOVED sim-0003 127.0.0.1:" + newPort, out.next(WAIT));
        assertEquals(200, new TestHttp().get(newPort, "/health").statusCode());
        Await.until("sim-0003 resolvable on its new port", WAIT,
                () -> advertisedAsExpected(browser.getServiceInfo(TYPE, "sim-0003", 500), newPort));

        send(commands, "checks sim-0003");
        assertEquals("CHECKS sim-0003 1", out.next(WAIT));

        // End of input does not stop it; SIGTERM does, with a goodbye from every device.
        simulator.getOutputStream().close();
        removed.clear();
        simulator.destroy();
        Set<String> names = ports.keySet();
        Await.until(() -> "goodbyes from all 20; missing " + names.stream().filter(n -> !removed.contains(n))
                .sorted().collect(Collectors.toList()), WAIT, () -> removed.containsAll(names));
        assertTrue(simulator.waitFor(15, TimeUnit.SECONDS));
        assertEquals(143, simulator.exitValue());
        assertFalse(TestHttp.accepts(ports.get("sim-0001")));
    }

    @Test
    public void bareRecordsCarryOddNamesRawTxtAndGoodbyes() throws Exception {
        Assume.assumeTrue("mDNS only inside the loopback-only namespace (bin/netns-run)", onlyLoopbackIsUp());
        Map<String, ServiceInfo> resolved = new ConcurrentHashMap<>();
        Set<String> removed = ConcurrentHashMap.newKeySet();
        browser = JmDNS.create(InetAddress.getByName("127.0.0.1"), "agent-it-browser");
        browser.addServiceListener(TYPE, new ServiceListener() {
            @Override
            public void serviceAdded(ServiceEvent event) {
                event.getDNS().requestServiceInfo(event.getType(), event.getName());
            }

            @Override
            public void serviceRemoved(ServiceEvent event) {
                removed.add(event.getName());
            }

            @Override
            public void serviceResolved(ServiceEvent event) {
                resolved.put(event.getName(), event.getInfo());
            }
        });
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
        Await.until(() -> "the record resolved with its port and TXT; have " + describe(resolved, Map.of())
                , WAIT, () -> {
            ServiceInfo info = resolved.get(name);
            if (info == null || !info.hasData()) {
                info = browser.getServiceInfo(TYPE, name, 200);
            }
            return info != null && info.getPort() == 0 && "203.0.113.9".equals(info.getPropertyString("address"))
                    && junk.equals(info.getPropertyString("junk"))
                    // jmdns hands invalid UTF-8 on as U+FFFD (EF BF BD) on the way.
                    && "\ufffd\ufffd".equals(info.getPropertyString("bad"));
        });
        send(commands, "unrecord " + PercentText.encode(name));
        assertEquals("UNRECORDED " + PercentText.encode(name), out.next(WAIT));
        Await.until("the record's goodbye", WAIT, () -> removed.contains(name));
        send(commands, "unrecord " + PercentText.encode(name));
        assertTrue(out.next(WAIT).startsWith("ERROR no record named"));
    }

    private static boolean advertisedAsExpected(ServiceInfo info, int port) {
        if (info == null || info.getPort() != port) {
            return false;
        }
        List<String> addresses = new ArrayList<>();
        for (Inet4Address address : info.getInet4Addresses()) {
            addresses.add(address.getHostAddress());
        }
        return "/".equals(info.getPropertyString("path")) && "0".equals(info.getPropertyString("tls"))
                && "127.0.0.1".equals(info.getPropertyString("address")) && addresses.contains("127.0.0.1");
    }

    private static String describe(Map<String, ServiceInfo> resolved, Map<String, Integer> expected) {
        return resolved.size() + " " + resolved.values().stream()
                .map(i -> i.getName() + ":" + i.getPort() + " " + i.getPropertyString("address"))
                .sorted().collect(Collectors.joining(", ")) + (expected.isEmpty() ? "" : " expected " + expected);
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
