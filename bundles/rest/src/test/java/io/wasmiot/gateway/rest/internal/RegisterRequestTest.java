package io.wasmiot.gateway.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.After;
import org.junit.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.model.Sighting;

public class RegisterRequestTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final String CALLER = "192.168.1.50";

    private final ExecutorService pool = Executors.newFixedThreadPool(2, task -> {
        Thread thread = new Thread(task, "test-resolver");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger lookups = new AtomicInteger();
    private final Executor countingResolver = task -> {
        lookups.incrementAndGet();
        pool.execute(task);
    };
    private final RegisterRequest requests = new RegisterRequest(countingResolver, 2000);

    @After
    public void stopPool() {
        pool.shutdownNow();
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    private Sighting parse(String body) throws RegisterRequest.Invalid {
        return requests.parse(json(body), CALLER, NOW);
    }

    private String invalid(String body) {
        return invalid(json(body));
    }

    private String invalid(JsonNode body) {
        RegisterRequest.Invalid refused = assertThrows(RegisterRequest.Invalid.class,
                () -> requests.parse(body, CALLER, NOW));
        String message = refused.getMessage();
        assertTrue("a message on one line: " + message, message != null && !message.isBlank()
                && message.chars().noneMatch(Character::isISOControl));
        return message;
    }

    // ---- defaults ----------------------------------------------------------------------------

    @Test
    public void numericShorthandsAreNotTakenForAddresses() {
        for (String shorthand : new String[] {"1.2.3", "10.1", "2130706433", "0x7f.1", "127.1.", "host.123"}) {
            String why = invalid("{\"name\":\"x\",\"addresses\":[\"" + shorthand + "\"]}");
            assertTrue(shorthand + ": " + why, why.contains("is not an IP address"));
        }
        assertEquals("no lookup for a shorthand", 0, lookups.get());
    }

    @Test
    public void anEmptyBodyMeansTheCallerAtPort5000() throws Exception {
        Sighting sighting = parse("{}");
        assertEquals(CALLER, sighting.name());
        assertEquals(new Communication(List.of(CALLER), 5000, false, "/"), sighting.communication());
        assertEquals("register", sighting.source());
        assertEquals(NOW, sighting.seenAt());
        assertEquals("no lookup for IP literals", 0, lookups.get());
    }

    @Test
    public void theReferenceSupervisorsBodyIsAccepted() throws Exception {
        Sighting sighting = parse("{'name':'my-device','type':'_webthing._tcp.local.','port':5000,"
                + "'properties':{'path':'/','tls':'0','address':'192.168.1.23'},'addresses':['192.168.1.23'],"
                + "'host':'pi4.local.','protocol':'http'}");
        assertEquals("my-device", sighting.name());
        assertEquals(new Communication(List.of("192.168.1.23"), 5000, false, "/"), sighting.communication());
    }

    @Test
    public void nameIsNameThenHostThenTheCallersAddress() throws Exception {
        assertEquals("dev", parse("{'name':'dev','host':'pi4.local.'}").name());
        assertEquals("pi4.local.", parse("{'host':'pi4.local.'}").name());
        assertEquals("pi4.local.", parse("{'name':'  ','host':'pi4.local.'}").name());
        assertEquals(CALLER, parse("{'name':'','host':''}").name());
        assertEquals(CALLER, parse("{'name':null}").name());
        assertEquals("trimmed", "dev", parse("{'name':'  dev  '}").name());
    }

    @Test
    public void portDefaultsTo5000AndAcceptsNumbersAndDigitStrings() throws Exception {
        assertEquals(5000, parse("{}").communication().port());
        assertEquals(5000, parse("{'port':null}").communication().port());
        assertEquals(8080, parse("{'port':8080}").communication().port());
        assertEquals(8080, parse("{'port':'8080'}").communication().port());
        assertEquals(1, parse("{'port':1}").communication().port());
        assertEquals(65535, parse("{'port':65535}").communication().port());
    }

    @Test
    public void thePropertiesAddressIsAppendedOnce() throws Exception {
        assertEquals(List.of("10.0.0.1", "192.168.1.23"),
                parse("{'addresses':['10.0.0.1'],'properties':{'address':'192.168.1.23'}}").communication().addresses());
        assertEquals(List.of("192.168.1.23"),
                parse("{'addresses':['192.168.1.23'],'properties':{'address':'192.168.1.23'}}").communication().addresses());
        assertEquals("appended to the caller's address when no addresses are listed", List.of(CALLER, "192.168.1.23"),
                parse("{'properties':{'address':'192.168.1.23'}}").communication().addresses());
    }

    @Test
    public void listedAddressesReplaceTheCallersAndKeepTheirOrderOnce() throws Exception {
        assertEquals(List.of("10.0.0.2", "10.0.0.1", "2001:db8:0:0:0:0:0:1"),
                parse("{'addresses':['10.0.0.2',' 10.0.0.1 ','10.0.0.2','2001:db8::1']}").communication().addresses());
        assertEquals("an empty list means the caller", List.of(CALLER), parse("{'addresses':[]}").communication().addresses());
    }

    @Test
    public void tlsFromPropertiesOrProtocol() throws Exception {
        assertTrue(parse("{'properties':{'tls':'1'}}").communication().tls());
        assertTrue(parse("{'protocol':'https'}").communication().tls());
        assertTrue(parse("{'protocol':'HTTPS'}").communication().tls());
        assertFalse(parse("{'properties':{'tls':'0'}}").communication().tls());
        assertFalse(parse("{'protocol':'http'}").communication().tls());
        assertFalse(parse("{}").communication().tls());
    }

    @Test
    public void pathIsKeptWhenAbsoluteAndShort() throws Exception {
        assertEquals("/api", parse("{'properties':{'path':'/api'}}").communication().path());
        assertEquals("/", parse("{'properties':{'path':'api'}}").communication().path());
        assertEquals("/", parse("{'properties':{'path':''}}").communication().path());
        assertEquals("/", parse("{'properties':{'path':'/" + "p".repeat(255) + "'}}").communication().path());
    }

    @Test
    public void unknownFieldsAndTheTypeAreIgnored() throws Exception {
        assertEquals("dev", parse("{'name':'dev','type':'webthing','extra':{'x':[1,2]}}").name());
    }

    // ---- host names --------------------------------------------------------------------------

    @Test
    public void hostNamesResolveThroughTheResolver() throws Exception {
        Sighting sighting = parse("{'addresses':['localhost']}");
        assertTrue(sighting.communication().addresses().toString(),
                sighting.communication().addresses().contains("127.0.0.1"));
        assertEquals(1, lookups.get());
    }

    @Test
    public void aLookupIsBoundedInTime() {
        RegisterRequest stuck = new RegisterRequest(task -> { }, 50); // a resolver that never answers
        long started = System.nanoTime();
        RegisterRequest.Invalid refused = assertThrows(RegisterRequest.Invalid.class,
                () -> stuck.parse(json("{'addresses':['localhost']}"), CALLER, NOW));
        assertTrue(refused.getMessage(), refused.getMessage().contains("did not resolve within 50 ms"));
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) < 2000);
    }

    @Test
    public void anUnresolvableNameIsRefused() {
        String message = invalid("{'addresses':['no-such-host.invalid']}");
        assertTrue(message, message.contains("no-such-host.invalid")
                && (message.contains("cannot be resolved") || message.contains("did not resolve")));
    }

    @Test
    public void malformedNamesAreRefusedWithoutLookup() {
        for (String bad : new String[] {"-bad.example", "bad_name", "a..b", "host name", "x".repeat(254), "evil\nname",
                "http://10.0.0.1/", "10.0.0.1:5000x/", "[2001:db8::1]", "", "é.example"}) {
            String message = invalid("{'addresses':[" + MAPPER.valueToTree(bad) + "]}");
            assertTrue(bad + ": " + message, message.contains("not an IP address"));
        }
        assertEquals(0, lookups.get());
    }

    @Test
    public void aSaturatedResolverRefusesTheRequest() {
        RegisterRequest saturated = new RegisterRequest(task -> {
            throw new RejectedExecutionException("queue full");
        }, 2000);
        assertThrows(RegisterRequest.Invalid.class,
                () -> saturated.parse(json("{'addresses':['localhost']}"), CALLER, NOW));
    }

    // ---- validation --------------------------------------------------------------------------

    @Test
    public void aBodyThatIsNotAnObjectIsRefused() {
        for (String body : new String[] {"[]", "'dev'", "5000", "null", "true"}) {
            assertTrue(body, invalid(body).contains("JSON object"));
        }
        assertThrows(RegisterRequest.Invalid.class, () -> requests.parse(null, CALLER, NOW));
    }

    @Test
    public void aPortOutsideTheRangeOrNotANumberIsRefused() {
        for (String port : new String[] {"0", "-1", "65536", "4294972296", "'0'", "'65536'", "'99999'"}) {
            String message = invalid("{'port':" + port + "}");
            assertTrue(port + ": " + message, message.contains("port"));
        }
        for (String port : new String[] {"'http'", "'5000 '", "'-1'", "'1e3'", "true", "[5000]", "{'n':5000}", "'123456'"}) {
            String message = invalid("{'port':" + port + "}");
            assertTrue(port + ": " + message, message.contains("'port' must be a number from 1 to 65535"));
        }
    }

    @Test
    public void aHugePortIsRefusedNotWrapped() {
        String message = invalid("{'port':18446744073709556616}");
        assertTrue(message, message.contains("port"));
    }

    @Test
    public void refusedKindsOfAddress() {
        String[][] cases = {
            {"224.0.0.251", "multicast"}, {"239.255.255.250", "multicast"}, {"ff02::fb", "multicast"},
            {"::ffff:224.0.0.1", "multicast"},
            {"0.0.0.0", "unspecified"}, {"::", "unspecified"}, {"::ffff:0.0.0.0", "unspecified"},
            {"255.255.255.255", "broadcast"},
            {"256.1.1.1", "not an IP address"}, {"1.2.3.999", "not an IP address"},
        };
        for (String[] c : cases) {
            String message = invalid("{'addresses':['" + c[0] + "']}");
            assertTrue(c[0] + ": " + message, message.contains(c[1]));
            String backup = invalid("{'properties':{'address':'" + c[0] + "'}}");
            assertTrue(c[0] + " as properties.address: " + backup,
                    backup.contains(c[1]) || backup.contains("must be an IPv4 address"));
        }
    }

    @Test
    public void broadcastIsRefusedHoweverSpelled() {
        String message = invalid("{'addresses':['::ffff:255.255.255.255']}");
        assertTrue(message, message.contains("broadcast"));
    }

    @Test
    public void thePropertiesAddressMustBeAnIpv4Literal() {
        for (String bad : new String[] {"pi4.local", "2001:db8::1", "10.0.0", "x"}) {
            String message = invalid("{'properties':{'address':'" + bad + "'}}");
            assertTrue(bad + ": " + message, message.contains("'properties.address' must be an IPv4 address"));
        }
    }

    @Test
    public void atMost16Addresses() throws Exception {
        List<String> sixteen = new ArrayList<>();
        for (int i = 1; i <= 16; i++) {
            sixteen.add("'10.0.0." + i + "'");
        }
        assertEquals(16, parse("{'addresses':[" + String.join(",", sixteen) + "]}").communication().addresses().size());

        List<String> seventeen = new ArrayList<>(sixteen);
        seventeen.add("'10.0.0.17'");
        assertTrue(invalid("{'addresses':[" + String.join(",", seventeen) + "]}").contains("at most 16 addresses"));
        assertTrue("16 listed plus another properties.address",
                invalid("{'addresses':[" + String.join(",", sixteen) + "],'properties':{'address':'10.0.0.99'}}")
                        .contains("at most 16 addresses"));
        assertEquals(0, lookups.get());
    }

    @Test
    public void wrongShapesAreRefused() {
        assertTrue(invalid("{'addresses':'10.0.0.1'}").contains("'addresses' must be an array"));
        assertTrue(invalid("{'addresses':[10]}").contains("'addresses' must hold strings"));
        assertTrue(invalid("{'addresses':[null]}").contains("'addresses' must hold strings"));
        assertTrue(invalid("{'properties':'x'}").contains("'properties' must be an object"));
        assertTrue(invalid("{'properties':[]}").contains("'properties' must be an object"));
        assertTrue(invalid("{'name':{'first':'x'}}").contains("'name' must be a string"));
        assertTrue(invalid("{'host':['x']}").contains("'host' must be a string"));
        assertTrue(invalid("{'protocol':{}}").contains("'protocol' must be a string"));
        assertTrue(invalid("{'properties':{'tls':[1]}}").contains("'tls' must be a string"));
    }

    @Test
    public void namesWithControlCharactersOrTooLongAreRefused() {
        for (String name : new String[] {"dev\u0000", "dev\nice", "dev\u001b[2J", "dev\u007f"}) {
            String message = invalid(MAPPER.createObjectNode().put("name", name));
            assertTrue(message, message.contains("control characters"));
        }
        assertTrue(invalid(MAPPER.createObjectNode().put("host", "h\r\nX-Injected: 1")).contains("control characters"));
        assertTrue(invalid(MAPPER.createObjectNode().put("name", "n".repeat(256))).contains("1-255 characters"));
    }

    @Test
    public void echoedInputIsShortAndOnOneLine() {
        String message = invalid(MAPPER.createObjectNode().set("addresses",
                MAPPER.createArrayNode().add("bad\nname" + "y".repeat(500))));
        assertTrue(message, message.length() < 200);
        assertTrue(message, message.contains("bad?name"));
    }

    @Test
    public void ipv6CallersFromJettyAreUsable() throws Exception {
        // Jetty 12 gives an IPv6 client's address in brackets
        Sighting sighting = requests.parse(json("{'name':'dev'}"), "[0:0:0:0:0:0:0:1]", NOW);
        assertEquals(List.of("0:0:0:0:0:0:0:1"), sighting.communication().addresses());
        Sighting plain = requests.parse(json("{'name':'dev'}"), "2001:db8::7", NOW);
        assertEquals(List.of("2001:db8:0:0:0:0:0:7"), plain.communication().addresses());
    }
}
