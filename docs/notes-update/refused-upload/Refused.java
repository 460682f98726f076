import java.net.URI;
import java.net.http.*;
import java.nio.file.*;
import java.time.Duration;
public class Refused {
    public static void main(String[] a) throws Exception {
        int port = Integer.parseInt(a[0]); int n = Integer.parseInt(a[1]);
        Path large = Files.createTempFile("large", ".jar"); Files.write(large, new byte[8 << 20]);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        int ok = 0, lost = 0;
        for (int i = 0; i < n; i++) {
            HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/gateway/updates"))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "x").header("Content-Type", "application/java-archive")
                .header("X-Bundle", "wasmiot.gateway.probe").header("X-Sha256", "0".repeat(64))
                .POST(HttpRequest.BodyPublishers.ofFile(large)).build();
            try { int s = client.send(r, HttpResponse.BodyHandlers.ofString()).statusCode(); if (s == 401) ok++; else System.out.println("status " + s); }
            catch (Exception e) { lost++; if (lost <= 3) System.out.println(e); }
        }
        System.out.println("answered 401: " + ok + ", lost: " + lost + " of " + n);
    }
}
