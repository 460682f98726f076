package io.wasmiot.gateway.probe.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import java.net.URI;
import java.net.http.HttpRequest;

import org.junit.Test;

public class DeviceUrlsTest {

    @Test
    public void ipv4AndNamesGoInAsTheyAre() {
        assertEquals(URI.create("http://192.0.2.7:5000/health"), DeviceUrls.uri("http", "192.0.2.7", 5000, "/health"));
        assertEquals("https://pi4.local:443/x", DeviceUrls.uri("https", "pi4.local", 443, "/x").toString());
    }

    @Test
    public void ipv6LiteralsGoInBrackets() {
        assertEquals("http://[::1]:5000/health", DeviceUrls.uri("http", "::1", 5000, "/health").toString());
        assertEquals("http://[2001:db8::1]:80/", DeviceUrls.uri("http", "[2001:db8::1]", 80, "/").toString());
        assertEquals("[::1]", DeviceUrls.hostForUrl("::1"));
        assertEquals("10.0.0.1", DeviceUrls.hostForUrl("10.0.0.1"));
    }

    @Test
    public void aZoneIdStaysInTheFormTheJdkResolves() {
        URI uri = DeviceUrls.uri("http", "fe80::1%eth0", 5000, "/health");
        assertEquals("http://[fe80::1%eth0]:5000/health", uri.toString());
        assertEquals("[fe80::1%eth0]", uri.getHost());
        HttpRequest.newBuilder(uri).build(); // the JDK client takes it
    }

    @Test
    public void refusesAddressesThatAreNotAHost() {
        for (String hostile : new String[] {"", " ", "1.2.3.4/evil", "1.2.3.4?q", "1.2.3.4#f", "user@1.2.3.4",
                "1.2.3.4:99", "a b", "1.2.3.4\r\nX: y", "h\u00e9"}) {
            try {
                DeviceUrls.uri("http", hostile, 5000, "/health");
                fail("accepted " + hostile);
            } catch (IllegalArgumentException expected) {
                // refused
            }
        }
    }

    @Test
    public void printableShortensAndMasksControlCharacters() {
        assertEquals("a?b", DeviceUrls.printable("a\nb"));
        assertEquals(80, DeviceUrls.printable("x".repeat(500)).length());
    }
}
