package io.wasmiot.gateway.it;

import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.Test;

/**
 * A bundle updated at run time (the web console's Install/Update with a jar) is the one that runs
 * after the gateway is stopped and started again, and after a kill -9 and a start: the launcher
 * keeps the framework's storage in the data folder and reinstalls only embedded bundles that the
 * gateway jar changed (docs/notes-updates.md).
 */
public class UpdateAcrossRestartIT {
    private static final String PROBE = "wasmiot.gateway.probe";

    @Test
    public void anUpdatedBundleSurvivesAStopAndAKill() throws Exception {
        Path jars = Files.createDirectories(Path.of(System.getProperty("wasmiot.it.dir", "target/it"))
                .toAbsolutePath().resolve("update-across-restart-jars"));
        Path first = withVersion(jars, "0.1.0.update1");
        Path second = withVersion(jars, "0.1.0.update2");

        GatewayProcess gateway = GatewayProcess.start("update-across-restart", GatewayProcess.Config.fast());
        try {
            String embedded = awaitProbe(gateway, null).path("version").asText();
            installThroughConsole(gateway, first);
            awaitProbe(gateway, "0.1.0.update1");

            gateway.close(); // SIGTERM: every bundle stops, the framework saves its state
            gateway = gateway.restart().awaitReady();
            JsonNode afterStop = awaitProbe(gateway, null);
            assertEquals("after a stop and a start (embedded " + embedded + ")", "0.1.0.update1",
                    afterStop.path("version").asText());
            assertEquals("Active", afterStop.path("state").asText());
            assertEquals(200, gateway.http.get("/file/device").statusCode());

            installThroughConsole(gateway, second);
            awaitProbe(gateway, "0.1.0.update2");
            gateway.kill(); // no bundle stops, nothing saved at exit
            gateway = gateway.restart().awaitReady();
            JsonNode afterKill = awaitProbe(gateway, null);
            assertEquals("after kill -9 and a start", "0.1.0.update2", afterKill.path("version").asText());
            assertEquals("Active", afterKill.path("state").asText());
            GatewayProcess restarted = gateway;
            Await.until("the updated prober's component active", Duration.ofSeconds(30),
                    () -> restarted.log().contains("Device prober started"));
        } finally {
            gateway.close();
        }
    }

    /** The probe bundle of the run bundles with another Bundle-Version: what an operator installs. */
    private static Path withVersion(Path dir, String version) throws IOException {
        return BundleJars.copyWith(BundleJars.runBundle(PROBE), dir, PROBE + "-" + version + ".jar",
                java.util.Map.of("Bundle-Version", version), java.util.Map.of());
    }

    /** The probe bundle as the web console lists it, once its version is {@code version} (any when null). */
    private static JsonNode awaitProbe(GatewayProcess gateway, String version) {
        return Await.until("the console listing " + PROBE + (version == null ? "" : " " + version),
                Duration.ofSeconds(60), () -> {
                    var response = gateway.http.send(console(gateway, "/system/console/bundles.json"));
                    if (response.statusCode() != 200) {
                        return null;
                    }
                    for (JsonNode bundle : GatewayProcess.json(response).path("data")) {
                        if (PROBE.equals(bundle.path("symbolicName").asText())
                                && (version == null || version.equals(bundle.path("version").asText()))
                                && "Active".equals(bundle.path("state").asText())) {
                            return bundle;
                        }
                    }
                    return null;
                });
    }

    /** The console's Install/Update: a multipart POST of the jar; it updates the bundle of the same name. */
    private static void installThroughConsole(GatewayProcess gateway, Path jar) throws IOException {
        String boundary = "----wasmiot" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String[] field : new String[][] {{"action", "install"}, {"bundlestart", "start"}}) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field[0] + "\"\r\n\r\n"
                    + field[1] + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"bundlefile\"; filename=\""
                + jar.getFileName() + "\"\r\nContent-Type: application/java-archive\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        try (InputStream in = Files.newInputStream(jar)) {
            in.transferTo(body);
        }
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        int status = gateway.http.send(console(gateway, "/system/console/bundles")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))).statusCode();
        assertEquals("console Install/Update of " + jar.getFileName(), 302, status);
    }

    private static HttpRequest.Builder console(GatewayProcess gateway, String path) {
        String password;
        try {
            password = Files.readString(gateway.dir.resolve("data/console-password")).strip();
        } catch (IOException e) {
            throw new IllegalStateException("no console password yet", e);
        }
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port + path)).header("Authorization",
                "Basic " + Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8)));
    }
}
