package io.wasmiot.gateway.it;

import static io.wasmiot.gateway.it.RawHttp.bytes;
import static io.wasmiot.gateway.it.RawHttp.concat;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Hostile input (issue 7, "Bad input"): a generated set of malformed requests for every REST
 * endpoint that takes input, and hostile mDNS records. Each request gets a clear 4xx (a JSON
 * {@code {"error"}} whenever the request reaches the gateway's servlets; HTTP framing errors are
 * Jetty's own 400), never a 500 and never a hang (every client call has a timeout); what was stored
 * stays as it was; the gateway keeps answering. Each hostile record is skipped with a log line or
 * listed safely, beside healthy devices that are not disturbed. The gateway, its devices and the
 * raw HTTP: {@link BadInputFixture}.
 */
public class BadInputIT extends BadInputFixture {
    private static final int MAX_BODY = 65536;

    // ---- REST -------------------------------------------------------------------------------

    /** One generated case: a raw request and what it must get. */
    private record Case(String what, byte[] request, boolean framing) {
    }

    private static final List<String> REPORT = new ArrayList<>();

    @Test
    public void malformedRequestsGetClearErrorsAndChangeNothing() {
        Map<String, String> before = snapshot();
        List<Case> cases = new ArrayList<>();
        String register = "/file/device/discovery/register";
        // Wrong JSON types, top level and per field.
        for (String body : List.of("[]", "\"text\"", "42", "null", "true", "[{\"name\":\"x\"}]",
                "{\"port\":\"http\"}", "{\"port\":true}", "{\"port\":[5000]}", "{\"port\":{\"n\":1}}", "{\"port\":-1}",
                "{\"port\":0}", "{\"port\":65536}", "{\"port\":5000.5}", "{\"port\":1e10}",
                "{\"port\":99999999999999999999999}", "{\"addresses\":\"127.0.0.1\"}", "{\"addresses\":[1,2]}",
                "{\"addresses\":[null]}", "{\"addresses\":[[\"127.0.0.1\"]]}", "{\"addresses\":{\"a\":1}}",
                "{\"properties\":\"x\",\"addresses\":[\"nope nope\"]}",
                "{\"name\":\"x\",\"addresses\":[\"127.0.0.1\"],\"port\":" + 70000 + "}")) {
            cases.add(post(register, "wrong type " + body, "application/json", body));
        }
        // Bad addresses: not IP literals, unresolvable, refused kinds, too many.
        for (String address : List.of("999.1.1.1", "1.2.3", "::zz", "http://127.0.0.1/", "", " ", "127.0.0.1:5000",
                "no-such-host.invalid", "exa mple", "224.0.0.251", "0.0.0.0", "255.255.255.255", "::", "ff02::fb",
                "127.0.0.1\r\nX: y", "a".repeat(300))) {
            String body = "{\"name\":\"addr\",\"port\":" + livePort + ",\"addresses\":[" + MAPPER.valueToTree(address) + "]}";
            cases.add(post(register, "address " + MAPPER.valueToTree(address), "application/json", body));
        }
        StringBuilder many = new StringBuilder("{\"name\":\"many\",\"addresses\":[");
        for (int i = 1; i <= 17; i++) {
            many.append(i > 1 ? "," : "").append("\"127.0.0.").append(i).append('"');
        }
        cases.add(post(register, "17 addresses", "application/json", many + "]}"));
        // Deep nesting (10,000 levels) and huge strings.
        cases.add(post(register, "10,000 nested objects", "application/json",
                "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000)));
        cases.add(post(register, "10,000 nested arrays", "application/json", "[".repeat(10_000) + "]".repeat(10_000)));
        cases.add(post(register, "name of maxBodyBytes + 1", "application/json",
                "{\"name\":\"" + "n".repeat(MAX_BODY + 1) + "\"}"));
        cases.add(post(register, "1 MiB body", "application/json", "{\"name\":\"" + "n".repeat(1 << 20) + "\"}"));
        cases.add(post(register, "name of 256 characters", "application/json", "{\"name\":\"" + "n".repeat(256) + "\"}"));
        // Not JSON, invalid UTF-8, odd unicode that is not a name.
        cases.add(post(register, "not JSON", "application/json", "{name: 'x'}"));
        cases.add(post(register, "empty body", "application/json", ""));
        cases.add(post(register, "trailing garbage", "application/json", "{} {}"));
        cases.add(raw("invalid UTF-8", rawHttp.request("POST", register, "application/json",
                bytes('{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', 0xff, 0xfe, 0xc3, '"', '}')), false));
        cases.add(raw("UTF-8 overlong slash", rawHttp.request("POST", register, "application/json",
                bytes('{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', 0xc0, 0xaf, '"', '}')), false));
        cases.add(post(register, "NUL in name", "application/json", "{\"name\":\"a\\u0000b\"}"));
        cases.add(post(register, "CRLF in name", "application/json", "{\"name\":\"a\\r\\nSet-Cookie: x=1\"}"));
        cases.add(post(register, "escape (ANSI) in name", "application/json", "{\"name\":\"\\u001b[31mred\"}"));
        cases.add(post(register, "unpaired surrogate escape in name", "application/json",
                "{\"name\":\"lone \\ud800 surrogate\"}"));
        cases.add(post(register, "unpaired surrogate escape in a key", "application/json", "{\"\\udc00\":1}"));
        // Wrong Content-Type (JSON body all the same).
        String good = "{\"name\":\"ct\",\"port\":" + livePort + ",\"addresses\":[\"127.0.0.1\"]}";
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                "text/html", "application/xml")) {
            cases.add(post(register, "Content-Type " + type, type, good));
            cases.add(post("/file/device/keep-0001/blacklist", "blacklist with Content-Type " + type, type, ""));
            cases.add(post("/file/device/discovery/reset", "reset with Content-Type " + type, type, ""));
        }
        // Hostile or lying Content-Length.
        byte[] small = good.getBytes(StandardCharsets.UTF_8);
        cases.add(raw("Content-Length 10^12", rawHttp.headers("POST", register, "Content-Type: application/json",
                "Content-Length: 1000000000000"), false));
        cases.add(raw("Content-Length beyond long", concat(rawHttp.headers("POST", register, "Content-Type: application/json",
                "Content-Length: 99999999999999999999999"), small), true));
        cases.add(raw("negative Content-Length", concat(rawHttp.headers("POST", register, "Content-Type: application/json",
                "Content-Length: -5"), small), true));
        cases.add(raw("Content-Length not a number", concat(rawHttp.headers("POST", register, "Content-Type: application/json",
                "Content-Length: abc"), small), true));
        cases.add(raw("two different Content-Lengths", concat(rawHttp.headers("POST", register, "Content-Type: application/json",
                "Content-Length: " + small.length, "Content-Length: 3"), small), true));
        cases.add(raw("Content-Length with Transfer-Encoding", concat(rawHttp.headers("POST", register,
                "Content-Type: application/json", "Content-Length: " + small.length, "Transfer-Encoding: chunked"),
                small), true));
        cases.add(raw("Content-Length longer than the body (then end of input)", concat(rawHttp.headers("POST", register,
                "Content-Type: application/json", "Content-Length: " + (small.length + 100)), small), false));
        cases.add(raw("Content-Length shorter than the body", concat(rawHttp.headers("POST", register,
                "Content-Type: application/json", "Content-Length: 5"), small), false));
        cases.add(raw("chunked body over the limit", rawHttp.chunked(register, "{\"name\":\"" + "c".repeat(MAX_BODY) + "\"}"), false));
        // Path parameters: injection attempts and traversal on every endpoint that takes a name or _id.
        for (String key : List.of("x' OR '1'='1", "x\"; DROP TABLE devices; --", "<script>alert(1)</script>",
                "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "nobody%00", "%E2%80%AEnobody", "%FF%FE", "a%0D%0AX-Injected:%201")) {
            String path = "/file/device/" + (key.contains("%") ? key : URLEncoder.encode(key, StandardCharsets.UTF_8)
                    .replace("+", "%20"));
            // Jetty itself refuses an encoded '/', NUL, control character or invalid UTF-8 in a path (400)
            boolean jettyRefuses = path.toUpperCase().matches(".*%(2F|00|0D|0A|FF).*");
            cases.add(raw("GET " + key, rawHttp.request("GET", path, null, new byte[0]), jettyRefuses));
            cases.add(raw("DELETE " + key, rawHttp.request("DELETE", path, null, new byte[0]), jettyRefuses));
            cases.add(raw("blacklist " + key, rawHttp.request("POST", path + "/blacklist", "application/json", new byte[0]),
                    jettyRefuses));
            cases.add(raw("unblacklist " + key, rawHttp.request("POST", path + "/unblacklist", "application/json", new byte[0]),
                    jettyRefuses));
        }
        cases.add(raw("GET ../ traversal", rawHttp.request("GET", "/file/device/../../../etc/passwd", null, new byte[0]), true));
        cases.add(raw("GET encoded traversal", rawHttp.request("GET", "/file/device/..%2F..%2Fetc%2Fpasswd", null, new byte[0]), true));
        cases.add(raw("unknown action", rawHttp.request("POST", "/file/device/keep-0001/explode", "application/json", new byte[0]), false));

        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            check(c, null, failures);
        }
        // Register from outside the allowed networks (this gateway allows only 127.0.0.1/32).
        check(raw("register from 127.0.0.2 (outside registerAllowedNetworks)", rawHttp.request("POST", register,
                "application/json", good.getBytes(StandardCharsets.UTF_8)), false), "127.0.0.2", failures);
        REPORT.forEach(System.out::println);
        System.out.printf("BadInputIT: %d malformed requests, %d answered as expected%n", cases.size() + 1,
                cases.size() + 1 - failures.size());
        assertEquals("requests not answered with a clear 4xx", List.of(), failures);
        assertTrue("the generated set: " + cases.size(), cases.size() > 100);

        // Nothing stored changed; a register the gateway accepted would be listed by its name.
        assertEquals("stored devices unchanged", before, snapshot());
        assertEquals(200, gateway.http.get("/health").statusCode());
        assertTrue("the refusals are logged", gateway.log().contains("Register from 127.0.0.1 refused"));
    }

    @Test
    public void hostileNamesInRegisterAreStoredAndServedSafely() throws Exception {
        Map<String, String> before = snapshot();
        List<String> names = List.of("x'; DROP TABLE devices; --", "\"quoted\" and 'single'", "<script>alert(1)</script>",
                "../../etc/passwd", "..%2F..%2Fetc", "ünïcødé 設備 🚀", "\u202Eevil", "zero\u200Bwidth",
                "dotted.name.local.", "n".repeat(255), "emoji 🚀 pair \ud83d\ude00", "json {\"a\":[1]}", "%s%n%x");
        Map<String, String> ids = new LinkedHashMap<>();
        for (String name : names) {
            ObjectNode body = MAPPER.createObjectNode().put("name", name).put("port", livePort);
            body.putArray("addresses").add("127.0.0.1");
            body.putObject("unknownField").put("nested", true);
            HttpResponse<String> answer = gateway.http.post("/file/device/discovery/register", "application/json",
                    MAPPER.writeValueAsString(body));
            assertEquals(name + ": " + answer.body(), 204, answer.statusCode());
        }
        for (String name : names) {
            String expected = name;
            JsonNode listed = Await.until("'" + name + "' listed", SOON, () -> {
                for (JsonNode device : gateway.devices()) {
                    if (device.path("name").asText().equals(expected) && device.at("/health/report").isObject()) {
                        return device;
                    }
                }
                return null;
            });
            ids.put(expected, listed.get("_id").asText());
            // By _id, always; by name, when the name can be a path segment.
            assertEquals(expected, gateway.device(listed.get("_id").asText()).get("name").asText());
            if (!expected.contains("/") && !expected.contains("%")) {
                JsonNode byName = gateway.device(URLEncoder.encode(expected, StandardCharsets.UTF_8).replace("+", "%20"));
                assertNotNull("GET by name " + expected, byName);
                assertEquals(listed.get("_id").asText(), byName.get("_id").asText());
            }
        }
        assertEquals("one device per name", names.size(), ids.values().stream().distinct().count());
        // Forgetting them by _id leaves the others as they were.
        for (String id : ids.values()) {
            assertEquals(204, gateway.http.delete("/file/device/" + id).statusCode());
        }
        assertEquals(before, snapshot());
    }

    // ---- mDNS -------------------------------------------------------------------------------

    @Test
    public void hostileMdnsRecordsAreSkippedOrListedSafely() {
        Map<String, String> before = snapshot();
        String keepAddress = "address=127.0.0.1";
        List<String> junk = new ArrayList<>();
        // TXT strings at the 255-byte limit each (about 1,300 bytes of TXT; the simulator's responder
        // sends a record up to one 8,966-byte datagram, the size jmdns used to stop at was 1,460).
        junk.add("k=" + "k".repeat(253));
        for (int i = 0; i < 3; i++) {
            junk.add(String.format("junk%02d=%s", i, "j".repeat(248)));
        }
        // Port 0: skipped with a log line.
        record("zero-port", 0, keepAddress);
        // A TXT record near the size limits (about 7 KB in one record): listed, the junk ignored.
        record("long-txt", livePort, keepAddress + " " + String.join(" ", junk));
        // TXT address outside loopback, and one that is not an address at all: the A record works.
        record("far-address", livePort, "address=203.0.113.7");
        record("junk-address", livePort, "address=%3Cscript%3E path=..%2F..%2Fetc tls=maybe");
        // Odd names.
        Map<String, String> odd = new LinkedHashMap<>();
        odd.put("ünï-設備-🚀", "%C3%BCn%C3%AF-%E8%A8%AD%E5%82%99-%F0%9F%9A%80");
        odd.put("dotted.name.x", "dotted.name.x");
        odd.put("q\"uo'te <b>", "q%22uo%27te%20%3Cb%3E");
        odd.put("L".repeat(63), "L".repeat(63)); // the longest DNS label
        for (Map.Entry<String, String> name : odd.entrySet()) {
            record(name.getValue(), livePort, keepAddress);
        }
        // A label over 63 bytes cannot be written in DNS (its length byte runs into the compression
        // bits): the simulator sends it as a hand-built datagram, as jmdns did, and every receiver
        // sees a corrupt packet.
        record("X".repeat(200), livePort, keepAddress);
        // Sent after the corrupt packets: once it is listed, the gateway has read them too.
        record("after-corrupt", livePort, keepAddress);

        Await.until("the port-0 record skipped with a log line", SOON,
                () -> gateway.log().contains("mDNS: skipping service 'zero-port': SRV port 0 outside 1-65535"));
        JsonNode longTxt = awaitListed("long-txt");
        assertEquals("127.0.0.1", longTxt.at("/communication/addresses/0").asText());
        JsonNode far = awaitListed("far-address");
        assertEquals("the A record's address first", "127.0.0.1", far.at("/communication/addresses/0").asText());
        JsonNode junkAddress = awaitListed("junk-address");
        assertEquals("[\"127.0.0.1\"]", junkAddress.at("/communication/addresses").toString());
        for (String name : odd.keySet()) {
            JsonNode listed = awaitListed(name);
            assertEquals(name, listed.get("name").asText());
        }
        assertNull(gateway.device("zero-port"));
        awaitListed("after-corrupt");
        assertNull("a 200-byte label is never listed", gateway.device("X".repeat(200)));
        assertTrue("the corrupt datagrams were read and counted",
                Double.parseDouble(gateway.metric("wasmiot_mdns_datagrams_malformed_total")) >= 1);
        // The web console's start-up note names a missing optional class (BackingStoreException,
        // "PreferencesConfigurationPrinter not enabled"): not about mDNS, so not counted here.
        List<String> traced = gateway.log().lines()
                .filter(line -> line.startsWith("\tat ") || line.contains("WARN MdnsChannel") || line.contains("] ERROR "))
                .limit(5).toList();
        assertEquals("corrupt datagrams are counted, not logged (a flood from the network)", List.of(), traced);

        // Repeated goodbyes: the same device, its _id kept through each goodbye-and-return in the grace.
        record("flappy", livePort, keepAddress);
        String id = awaitListed("flappy").get("_id").asText();
        for (int i = 0; i < 3; i++) {
            devices.command("unrecord flappy", "UNRECORDED flappy");
            devices.command("record flappy " + livePort + " " + keepAddress, "RECORDED flappy");
        }
        devices.command("unrecord flappy", "UNRECORDED flappy");
        devices.command("unrecord flappy", "ERROR no record");
        Await.until("flappy forgotten after its last goodbye", SOON, () -> gateway.device("flappy") == null);
        String log = gateway.log();
        assertTrue(log.contains("Device flappy (" + id + ") said goodbye"));
        assertTrue(log.contains("Device flappy (" + id + ") forgotten: mDNS goodbye, not back within 5 s"));
        java.util.Set<String> flappyIds = new java.util.TreeSet<>();
        java.util.regex.Matcher logged = java.util.regex.Pattern.compile("Device flappy \\(([0-9a-f]{24})\\)").matcher(log);
        while (logged.find()) {
            flappyIds.add(logged.group(1));
        }
        assertEquals("one _id through all the goodbyes", java.util.Set.of(id), flappyIds);

        // The healthy devices were not disturbed and the gateway answers.
        for (int i = 1; i <= 5; i++) {
            assertNotNull(gateway.healthyDevice(String.format("keep-%04d", i)));
        }
        assertEquals(before, snapshot());
        assertEquals(200, gateway.http.get("/health").statusCode());
        for (String name : List.of("long-txt", "far-address", "junk-address")) {
            assertEquals(204, gateway.http.delete("/file/device/" + name).statusCode());
        }
    }


    // ---- raw HTTP ---------------------------------------------------------------------------

    private static Case post(String path, String what, String contentType, String body) {
        return raw(what, rawHttp.request("POST", path, contentType, body.getBytes(StandardCharsets.UTF_8)), false);
    }

    private static Case raw(String what, byte[] request, boolean framing) {
        return new Case(what, request, framing);
    }

    /**
     * Sends one case and checks the answer: a 4xx; a JSON {"error"} unless it is an HTTP framing
     * error (answered by Jetty before any servlet); the gateway still answering afterwards.
     */
    private static void check(Case c, String fromAddress, List<String> failures) {
        String[] answer;
        long started = System.nanoTime();
        try {
            answer = rawHttp.exchange(c.request, fromAddress);
        } catch (IOException e) {
            answer = new String[] {"-1", e.toString()};
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        int status = Integer.parseInt(answer[0]);
        String body = answer[1];
        String error = null;
        try {
            JsonNode json = MAPPER.readTree(body);
            error = json != null && json.path("error").isTextual() ? json.get("error").asText() : null;
        } catch (IOException e) {
            // not JSON
        }
        boolean ok = status >= 400 && status < 500 && (c.framing || (error != null && !error.isBlank()));
        String line = String.format("  %-60.60s %4d %5d ms  %s", c.what.replaceAll("\\p{Cntrl}", "?"), status, millis,
                error != null ? error.replaceAll("\\p{Cntrl}", "?") : body.replaceAll("\\s+", " ").substring(0,
                        Math.min(80, body.replaceAll("\\s+", " ").length())));
        REPORT.add(line);
        if (!ok) {
            failures.add(line);
        }
        if (gateway.http.get("/health").statusCode() != 200) {
            failures.add(c.what + ": the gateway stopped answering /health");
        }
    }
}
