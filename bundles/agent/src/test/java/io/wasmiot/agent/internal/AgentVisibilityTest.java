package io.wasmiot.agent.internal;

import static org.junit.Assert.assertEquals;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Assume;
import org.junit.Test;

import io.wasmiot.agent.internal.mdns.Loopback;

/**
 * How soon the Java agent (one device) is seen by a real python-zeroconf {@code ServiceBrowser}
 * (Debian's python3-zeroconf, {@code /usr/bin/python3}; skipped without it): the figure is
 * printed, the test asserts only that it is seen with its port (timing goals are benchmarks').
 */
public class AgentVisibilityTest {
    private static final String PYTHON = "/usr/bin/python3";
    private static final String BROWSER = String.join("\n",
            "import sys, time",
            "from zeroconf import Zeroconf, ServiceBrowser, ServiceStateChange, IPVersion",
            "zc = Zeroconf(interfaces=['127.0.0.1'], ip_version=IPVersion.V4Only)",
            "def changed(zeroconf, service_type, name, state_change):",
            "    if state_change is ServiceStateChange.Added:",
            "        info = zeroconf.get_service_info(service_type, name, 3000)",
            "        print('ADDED %s %d' % (name, info.port if info else -1), flush=True)",
            "browser = ServiceBrowser(zc, '_webthing._tcp.local.', handlers=[changed])",
            "print('READY', flush=True)",
            "sys.stdin.read()",
            "zc.close()",
            "");

    private Process python;
    private AgentComponent component;

    @After
    public void stop() throws Exception {
        if (component != null) {
            component.deactivate();
        }
        if (python != null) {
            python.getOutputStream().close();
            if (!python.waitFor(10, TimeUnit.SECONDS)) {
                python.destroyForcibly();
            }
        }
    }

    @Test
    public void aPythonZeroconfBrowserSeesTheAgentSoonAfterItStarts() throws Exception {
        Loopback.assumeOnlyLoopback();
        Assume.assumeTrue("needs /usr/bin/python3 with python3-zeroconf", pythonZeroconf());
        Path script = Files.createTempFile("browse", ".py");
        Files.writeString(script, BROWSER);
        script.toFile().deleteOnExit();
        python = new ProcessBuilder(PYTHON, script.toString())
                .redirectError(new File("target", "agent-visibility-python.log")).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Map<String, Long> arrived = new java.util.concurrent.ConcurrentHashMap<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(python.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    arrived.put(line, System.nanoTime());
                    lines.add(line);
                }
            } catch (java.io.IOException e) {
                // python ended
            }
        }, "python-browser");
        reader.setDaemon(true);
        reader.start();
        assertEquals("READY", lines.poll(20, TimeUnit.SECONDS));

        int port = TestHttp.freePort();
        AgentSettings settings = AgentSettings.resolve(Map.of("name", "visible-agent", "port", port,
                "mdnsAddress", "127.0.0.1"), name -> null, () -> "host");
        long started = System.nanoTime();
        component = new AgentComponent(settings, FleetSettings.builder());
        long activated = System.nanoTime();

        String added = lines.poll(15, TimeUnit.SECONDS);
        assertEquals("ADDED visible-agent._webthing._tcp.local. " + port, added);
        System.out.printf("AgentComponent: seen by a python-zeroconf ServiceBrowser %d ms after activation began "
                + "(activation took %d ms)%n", (arrived.get(added) - started) / 1_000_000,
                (activated - started) / 1_000_000);
    }

    private static boolean pythonZeroconf() {
        if (!new File(PYTHON).canExecute()) {
            return false;
        }
        try {
            Process check = new ProcessBuilder(PYTHON, "-c", "import zeroconf").redirectErrorStream(true).start();
            check.getInputStream().readAllBytes();
            return check.waitFor(20, TimeUnit.SECONDS) && check.exitValue() == 0;
        } catch (java.io.IOException | InterruptedException e) {
            return false;
        }
    }
}
