import java.net.URI;
import java.net.http.*;
import java.nio.file.*;
import java.time.Duration;
public class Refused {
    public static void main(String[] a) throws Exception {
        int port = Integer.parseInt(a[0]); int n = Integer.parseInt(a[1]);
        String path = a.length > 2 ? a[2] : "/gateway/updates"; int size = a.length > 3 ? Integer.parseInt(a[3]) : 8 << 20; int expected = a.length > 4 ? Integer.parseInt(a[4]) : 401;
        Path large = Files.createTempFile("large", ".jar"); Files.write(large, new byte[size]);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        int ok = 0, lost = 0;
        for (int i = 0; i < n; i++) {
            HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "x").header("Content-Type", path.equals("/gateway/updates") ? "application/java-archive" : "application/json")
                .header("X-Bundle", "wasmiot.gateway.probe").header("X-Sha256", "0".repeat(64))
                .POST(HttpRequest.BodyPublishers.ofFile(large)).build();
            try { int s = client.send(r, HttpResponse.BodyHandlers.ofString()).statusCode(); if (s == expected) ok++; else System.out.println("status " + s); }
            catch (Exception e) { lost++; if (lost <= 3) System.out.println(e); }
        }
        System.out.println("answered " + expected + ": " + ok + ", lost: " + lost + " of " + n);
    }
}
