package io.wasmiot.gateway.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The distribution archive as an operator gets it: unpacked into a new folder, its layout, its
 * configuration examples against the bundles' metatype, the systemd unit, and the gateway started
 * with its start script, configured through an example, and stopped with SIGTERM (its goodbye on
 * the wire, every bundle stopped, a prompt exit).
 */
public class DistributionIT {
    private static final String SELF_NAME = "orchestrator";

    @Test
    public void everyPidHasAnExampleWithEveryKeyCommentedOut() throws Exception {
        Path home = unpack("examples");
        Set<String> factoryPids = new TreeSet<>();
        Map<String, List<String>> keysByPid = metatypeKeysOfTheRunBundles(factoryPids);
        assertTrue("the run bundles declare the gateway's PIDs: " + keysByPid.keySet(),
                keysByPid.keySet().containsAll(List.of("wasmiot.gateway.discovery", "wasmiot.gateway.store",
                        "wasmiot.gateway.rest", "wasmiot.gateway.mdns", "wasmiot.gateway.probe",
                        "wasmiot.gateway.devicelogs")));
        for (Map.Entry<String, List<String>> pid : keysByPid.entrySet()) {
            // a factory PID's example is not read as it is (an empty configuration would be one more instance)
            Path example = home.resolve("conf/" + pid.getKey()
                    + (factoryPids.contains(pid.getKey()) ? "-example.cfg.example" : ".cfg"));
            assertTrue("an example for PID " + pid.getKey(), Files.isRegularFile(example));
            List<String> lines = Files.readAllLines(example);
            for (String key : pid.getValue()) {
                assertTrue(example + " shows key " + key + " (commented out)",
                        lines.stream().anyMatch(line -> line.startsWith("#" + key + "=")));
            }
            for (String line : lines) {
                assertTrue(example + ": every line is a comment or empty, so the gateway runs on its defaults: " + line,
                        line.isBlank() || line.startsWith("#"));
            }
        }
    }

    @Test
    public void theArchiveHoldsWhatAnInstallNeeds() throws Exception {
        Path home = unpack("layout");
        for (String file : List.of("wasmiot-gateway.jar", "jvm.options", "start", "wasmiot-gateway.service",
                "conf/org.apache.felix.webconsole.internal.servlet.OsgiManager.cfg.example")) {
            assertTrue(file, Files.isRegularFile(home.resolve(file)));
        }
        assertTrue("the start script is executable", Files.isExecutable(home.resolve("start")));
        assertEquals("jvm.options is the runtime's", Files.readString(runtimeTarget().resolveSibling("jvm.options")),
                Files.readString(home.resolve("jvm.options")));
    }

    @Test
    public void theServiceUnitIsValidAndStopsCleanly() throws Exception {
        Path home = unpack("unit");
        String unit = Files.readString(home.resolve("wasmiot-gateway.service"));
        for (String line : List.of("Restart=on-failure", "User=wasmiot", "WorkingDirectory=/opt/wasmiot-gateway",
                "ExecStart=/opt/wasmiot-gateway/start", "KillSignal=SIGTERM", "TimeoutStopSec=30",
                "SuccessExitStatus=143", "WantedBy=multi-user.target")) {
            assertTrue("the unit has " + line, unit.lines().anyMatch(line::equals));
        }
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        if (!Files.isExecutable(analyze)) {
            System.out.println("DistributionIT: no systemd-analyze here; the unit's keys were checked only");
            return;
        }
        // systemd-analyze checks that ExecStart exists: point the unit at the unpacked folder
        Path local = home.resolve("verify/wasmiot-gateway.service");
        Files.createDirectories(local.getParent());
        Files.writeString(local, unit.replace("/opt/wasmiot-gateway", home.toString()));
        Process verify = new ProcessBuilder(analyze.toString(), "verify", "--man=no", local.toString())
                .redirectErrorStream(true).start();
        String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("systemd-analyze verify ends", verify.waitFor(60, TimeUnit.SECONDS));
        assertEquals("systemd-analyze verify: " + output, 0, verify.exitValue());
        assertEquals("no warning (an unknown key is only a warning)", "", output.strip());
    }

    @Test
    public void startsFromTheArchiveTakesAnExampleAndSaysGoodbyeOnSigterm() throws Exception {
        Path home = unpack("run");
        int port = GatewayOptions.freePort();
        Path log = home.resolve("gateway.log");
        Process gateway = new ProcessBuilder(home.resolve("start").toString(), "-Dorg.osgi.service.http.port=" + port)
                .directory(home.getParent().toFile()) // the script runs java in its own folder
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Http http = new Http("http://127.0.0.1:" + port);
            Await.until("GET /file/device answering 200", Duration.ofSeconds(60), () -> {
                assertTrue("the gateway runs; see " + log, gateway.isAlive());
                try {
                    return http.get("/file/device").statusCode() == 200;
                } catch (RuntimeException notYet) {
                    return false;
                }
            });
            Await.until("the defaults applied", Duration.ofSeconds(30), () -> read(log).contains("health every 15 s"));
            assertTrue("data/ is in the install folder", Files.isDirectory(home.resolve("data/framework")));

            Path discovery = home.resolve("conf/wasmiot.gateway.discovery.cfg");
            GatewayProcess.writeAtomically(discovery,
                    Files.readString(discovery).replace("#healthInterval=15", "healthInterval=7"));
            Await.until("the uncommented example applied", Duration.ofSeconds(30),
                    () -> read(log).contains("Discovery configuration changed: health every 7 s"));
            Await.until("the gateway advertised", Duration.ofSeconds(30),
                    () -> read(log).contains("mDNS: advertising " + SELF_NAME));

            try (MulticastSocket mdns = listenToMdns()) {
                long start = System.nanoTime();
                gateway.destroy(); // SIGTERM, to the JVM itself: the script exec'd it
                List<Record> goodbye = awaitGoodbye(mdns, Duration.ofSeconds(15));
                assertTrue("the goodbye withdraws the service (PTR): " + goodbye,
                        goodbye.stream().anyMatch(record -> record.getType() == Type.PTR));
                assertTrue("the JVM exits promptly after SIGTERM", gateway.waitFor(20, TimeUnit.SECONDS));
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertEquals("exit status 128 + SIGTERM (the unit's SuccessExitStatus)", 143, gateway.exitValue());
                String output = read(log);
                assertTrue("every bundle stopped before the exit:\n" + output,
                        output.contains("Exit: every bundle stopped in"));
                assertTrue("the store closed", output.contains("Device store closed"));
                Figures.report("DistributionIT", "SIGTERM to exit of a gateway started from the archive", millis + " ms");
            }
        } finally {
            gateway.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The gateway's records in the first mDNS goodbye for its own instance that arrives in time. */
    private static List<Record> awaitGoodbye(MulticastSocket mdns, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] buffer = new byte[9000];
        while (System.nanoTime() < deadline) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                mdns.receive(packet);
            } catch (SocketTimeoutException e) {
                continue;
            }
            Message message;
            try {
                message = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
            } catch (IOException notDns) {
                continue;
            }
            List<Record> ours = new ArrayList<>();
            for (Record record : message.getSection(Section.ANSWER)) {
                if (record.getName().toString().startsWith(SELF_NAME + ".")
                        || record.rdataToString().startsWith(SELF_NAME + ".")) {
                    ours.add(record);
                }
            }
            // announcements and answers may still come first: a goodbye is a response whose records all have TTL 0
            if (message.getHeader().getFlag(Flags.QR) && !ours.isEmpty()
                    && ours.stream().allMatch(record -> record.getTTL() == 0)) {
                return ours;
            }
        }
        fail("no mDNS goodbye (records of " + SELF_NAME + " with TTL 0) within " + timeout);
        return List.of();
    }

    private static MulticastSocket listenToMdns() throws IOException {
        MulticastSocket socket = new MulticastSocket(null);
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(5353));
        socket.joinGroup(new InetSocketAddress(InetAddress.getByName("224.0.0.251"), 5353),
                NetworkInterface.getByName("lo"));
        socket.setSoTimeout(200);
        return socket;
    }

    /** Unpacks the distribution archive into a new folder; returns its {@code wasmiot-gateway} folder. */
    private static Path unpack(String name) throws Exception {
        Path target = runtimeTarget();
        Path archive;
        try (var files = Files.list(target)) {
            archive = files.filter(f -> f.getFileName().toString().matches("wasmiot-gateway-.*\\.tar\\.gz"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no wasmiot-gateway-*.tar.gz in " + target
                            + ": build the runtime module first"));
        }
        Path dir = Path.of(System.getProperty("wasmiot.it.dir", "target/it")).toAbsolutePath().resolve("dist-" + name);
        GatewayProcess.deleteTree(dir);
        Files.createDirectories(dir);
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toAbsolutePath().toString(), "-C", dir.toString())
                .inheritIO().start();
        assertTrue("tar ends", tar.waitFor(60, TimeUnit.SECONDS));
        assertEquals("tar -xzf " + archive, 0, tar.exitValue());
        Path home = dir.resolve("wasmiot-gateway");
        assertTrue("the archive unpacks into one folder, wasmiot-gateway", Files.isDirectory(home));
        try (var top = Files.list(dir)) {
            assertEquals("nothing beside it", 1, top.count());
        }
        return home;
    }

    private static Path runtimeTarget() {
        return Path.of(System.getProperty("wasmiot.runtime.target", "../runtime/target")).toAbsolutePath().normalize();
    }

    /** PID to its keys, from the metatype XML bnd wrote into each of the gateway's run bundles. */
    private static Map<String, List<String>> metatypeKeysOfTheRunBundles(Set<String> factoryPids) throws Exception {
        Path runBundles = Path.of(System.getProperty("wasmiot.runbundles.dir"));
        Map<String, List<String>> keysByPid = new TreeMap<>();
        try (var jars = Files.list(runBundles)) {
            for (Path jar : jars.filter(j -> j.getFileName().toString().startsWith("wasmiot.")).toList()) {
                try (JarFile file = new JarFile(jar.toFile())) {
                    for (ZipEntry entry : file.stream().toList()) {
                        if (entry.getName().startsWith("OSGI-INF/metatype/") && entry.getName().endsWith(".xml")) {
                            try (InputStream in = file.getInputStream(entry)) {
                                readOcds(in, keysByPid, factoryPids);
                            }
                        }
                    }
                }
            }
        }
        assertFalse("metatype found in " + runBundles, keysByPid.isEmpty());
        return keysByPid;
    }

    private static void readOcds(InputStream xml, Map<String, List<String>> keysByPid, Set<String> factoryPids)
            throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        org.w3c.dom.Document document = factory.newDocumentBuilder().parse(xml);
        NodeList designates = document.getElementsByTagName("Designate");
        for (int i = 0; i < designates.getLength(); i++) {
            String factoryPid = ((Element) designates.item(i)).getAttribute("factoryPid");
            if (!factoryPid.isEmpty()) {
                factoryPids.add(factoryPid);
            }
        }
        NodeList ocds = document.getElementsByTagName("OCD");
        for (int i = 0; i < ocds.getLength(); i++) {
            Element ocd = (Element) ocds.item(i);
            List<String> keys = new ArrayList<>();
            NodeList ads = ocd.getElementsByTagName("AD");
            for (int j = 0; j < ads.getLength(); j++) {
                keys.add(((Element) ads.item(j)).getAttribute("id"));
            }
            keysByPid.put(ocd.getAttribute("id"), keys);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}
