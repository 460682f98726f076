package io.wasmiot.gateway.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

import org.junit.After;
import org.junit.Test;

/**
 * The web console of the real gateway jar while it starts: Felix's default {@code admin}/{@code admin}
 * must never get in, not even in the moment between the console coming up and its configuration
 * (the generated password) reaching it.
 */
public class ConsolePasswordIT {
    private GatewayProcess gateway;

    @After
    public void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    public void theDefaultPasswordNeverGetsInWhileTheConsoleStarts() throws Exception {
        GatewayProcess first = GatewayProcess.start("console-password", GatewayProcess.Config.fast());
        Path passwordFile = first.dir.resolve("data/console-password");
        // the console's component writes it a moment after the REST answers that start() waits for
        Await.until("the generated password file", Duration.ofSeconds(30), () -> passwordFile.toFile().length() > 0);
        first.close(); // a data folder with its generated password, as after any first start
        gateway = first.restart();
        String password = Files.readString(passwordFile).strip();
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI bundles = URI.create("http://127.0.0.1:" + gateway.port + "/system/console/bundles.json");
        int defaultAnswers = 0;
        int generatedStatus = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        // as fast as one client can ask, from the process start until the generated password works
        while (generatedStatus != 200 && System.nanoTime() < deadline) {
            int defaultStatus = status(client, bundles, "admin", "admin");
            assertTrue("admin/admin got in after " + defaultAnswers + " answers to it", defaultStatus != 200);
            if (defaultStatus != 0) {
                defaultAnswers++;
            }
            generatedStatus = status(client, bundles, "admin", password);
        }
        assertEquals("the generated password works in the end", 200, generatedStatus);
        assertTrue("the console was asked while it started: " + defaultAnswers, defaultAnswers > 0);
        assertEquals(401, status(client, bundles, "admin", "admin"));
    }

    /** The HTTP status, or 0 when nothing listens yet. */
    private static int status(HttpClient client, URI uri, String user, String password) throws InterruptedException {
        String credentials = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        try {
            return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                    .header("Authorization", "Basic " + credentials).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
