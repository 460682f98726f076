package io.wasmiot.gateway.mdns.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.model.Sighting;

/** Reading a complete instance (SRV port, target addresses, TXT pairs) as a sighting, or skipping it. */
public class InstanceReaderTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // literals only: no lookup
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static InetAddress scoped(String literal, int scope) {
        try {
            return Inet6Address.getByAddress(null, ip(literal).getAddress(), scope);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** What the cache hands the reader about one instance. */
    private record Info(String name, int port, Map<String, String> txt, List<InetAddress> addresses) {
    }

    private static Info info(String name, int port, Map<String, String> txt, InetAddress... addresses) {
        return new Info(name, port, txt, List.of(addresses));
    }

    private static Sighting read(Info info) {
        InstanceReader.Result result = InstanceReader.read(info.name(), info.port(), info.addresses(), info.txt(), NOW);
        assertNull("not skipped: " + result.skipReason(), result.skipReason());
        assertNotNull(result.sighting());
        return result.sighting();
    }

    private static String skipped(Info info) {
        InstanceReader.Result result = InstanceReader.read(info.name(), info.port(), info.addresses(), info.txt(), NOW);
        assertNull("skipped, but read as " + result.sighting(), result.sighting());
        assertNotNull(result.skipReason());
        return result.skipReason();
    }

    // ---- TXT only ----------------------------------------------------------------------------

    @Test
    public void theTxtAddressAloneIsEnough() {
        Sighting sighting = read(info("my-device", 5000, Map.of("address", "192.168.1.23", "path", "/")));
        assertEquals("my-device", sighting.name());
        assertEquals(new Communication(List.of("192.168.1.23"), 5000, false, "/"), sighting.communication());
        assertEquals("mdns", sighting.source());
        assertEquals(NOW, sighting.seenAt());
    }

    @Test
    public void tlsOnlyForOne() {
        assertTrue(read(info("d", 443, Map.of("address", "10.0.0.1", "tls", "1")))
                .communication().tls());
        for (String value : new String[] {"0", "true", "yes", "", " 1", "11"}) {
            assertFalse("tls=" + value, read(info("d", 443, Map.of("address", "10.0.0.1", "tls", value))).communication().tls());
        }
        assertFalse(read(info("d", 80, Map.of("address", "10.0.0.1")))
                .communication().tls());
    }

    @Test
    public void aTxtAddressThatIsNotAUsableIpv4LiteralSkipsARecordWithoutOtherAddress() {
        for (String bad : new String[] {"pi4.local", "::1", "fe80::1", "999.1.1.1", "10.0.0", "01.2.3.4",
                "10.0.0.1 ", " 10.0.0.1", "10.0.0.1\n", "10.0.0.1/24", "0.0.0.0", "224.0.0.251", "239.255.255.250",
                "255.255.255.255", "x".repeat(200)}) {
            String reason = skipped(info("d", 5000, Map.of("address", bad)));
            assertTrue(bad + ": " + reason, reason.contains("TXT address is not a usable IPv4 literal"));
        }
    }

    @Test
    public void noAddressAtAllIsSkipped() {
        assertTrue(skipped(info("d", 5000, Map.of("path", "/"))).contains("no usable address"));
        skipped(info("d", 5000, Map.of("address", "")));
    }

    @Test
    public void aPortOutsideTheRangeIsSkipped() {
        for (int port : new int[] {0, -1, 65536, 70000, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            String reason = skipped(info("d", port, Map.of("address", "10.0.0.1")));
            assertTrue(port + ": " + reason, reason.contains("port"));
        }
        assertEquals(1, read(info("d", 1, Map.of("address", "10.0.0.1"))).communication().port());
        assertEquals(65535, read(info("d", 65535, Map.of("address", "10.0.0.1")))
                .communication().port());
    }

    @Test
    public void namesWithControlCharactersAreSkipped() {
        for (String name : new String[] {"dev\u0001ice", "dev\nice", "dev\rice", "dev\u007fice", "de\u0000v"}) {
            skipped(info(name, 5000, Map.of("address", "10.0.0.1")));
        }
    }

    @Test
    public void emptyBlankAndOverlongNamesAreSkipped() {
        skipped(info("", 5000, Map.of("address", "10.0.0.1")));
        skipped(info("   ", 5000, Map.of("address", "10.0.0.1")));
        skipped(info("n".repeat(256), 5000, Map.of("address", "10.0.0.1")));
        assertEquals(255, read(info("n".repeat(255), 5000, Map.of("address", "10.0.0.1")))
                .name().length());
    }

    @Test
    public void unicodeNamesAreKept() {
        assertEquals("café-sensor ünï", read(info("café-sensor ünï", 5000, Map.of("address", "10.0.0.1"))).name());
    }

    @Test
    public void pathIsKeptWhenItIsAnAbsolutePathOfAtMost255Characters() {
        String longest = "/" + "p".repeat(249); // "path=" + 250 characters: a full 255-byte TXT string
        assertEquals(longest, read(info("d", 5000, Map.of("address", "10.0.0.1", "path", longest))).communication().path());
        assertEquals("/api/v1", read(info("d", 5000, Map.of("address", "10.0.0.1", "path", "/api/v1"))).communication().path());
        for (String bad : new String[] {"", "api", "http://evil.example/", "p".repeat(250)}) {
            assertEquals("path " + bad, "/", read(info("d", 5000, Map.of("address", "10.0.0.1", "path", bad))).communication().path());
        }
    }

    // ---- with address records ----------------------------------------------------------------

    @Test
    public void theTxtAddressIsAppendedWhenNotAmongTheRecords() {
        Sighting sighting = read(info("d", 5000, Map.of("address", "192.168.1.23"),
                ip("10.0.0.1"), ip("10.0.0.2")));
        assertEquals(List.of("10.0.0.1", "10.0.0.2", "192.168.1.23"), sighting.communication().addresses());
    }

    @Test
    public void theTxtAddressIsNotRepeatedWhenAmongTheRecords() {
        Sighting sighting = read(info("d", 5000, Map.of("address", "10.0.0.2"),
                ip("10.0.0.1"), ip("10.0.0.2")));
        assertEquals(List.of("10.0.0.1", "10.0.0.2"), sighting.communication().addresses());
    }

    @Test
    public void anUnusableTxtAddressIsIgnoredWhenThereAreRecords() {
        for (String bad : new String[] {"pi4.local", "999.1.1.1", "224.0.0.251", "0.0.0.0", "255.255.255.255"}) {
            Sighting sighting = read(info("d", 5000, Map.of("address", bad), ip("10.0.0.1")));
            assertEquals(bad, List.of("10.0.0.1"), sighting.communication().addresses());
        }
    }

    @Test
    public void duplicateRecordsAreListedOnce() {
        Sighting sighting = read(info("d", 5000, Map.of(), ip("10.0.0.1"), ip("10.0.0.1"),
                ip("2001:db8::1"), ip("2001:db8::1")));
        assertEquals(List.of("10.0.0.1", "2001:db8:0:0:0:0:0:1"), sighting.communication().addresses());
    }

    @Test
    public void ipv4FirstThenIpv6ThenTheTxtAddress() {
        Sighting sighting = read(info("d", 5000, Map.of("address", "192.168.1.23"),
                ip("2001:db8::5"), ip("10.0.0.1")));
        assertEquals(List.of("10.0.0.1", "2001:db8:0:0:0:0:0:5", "192.168.1.23"), sighting.communication().addresses());
    }

    @Test
    public void unscopedLinkLocalIpv6IsSkippedAndScopedIsKept() {
        Sighting sighting = read(info("d", 5000, Map.of(),
                ip("fe80::1"), scoped("fe80::2", 3), ip("10.0.0.1")));
        assertEquals(List.of("10.0.0.1", "fe80:0:0:0:0:0:0:2%3"), sighting.communication().addresses());
    }

    @Test
    public void onlyAnUnscopedLinkLocalAddressIsSkipped() {
        assertTrue(skipped(info("d", 5000, Map.of(), ip("fe80::1"))).contains("no usable address"));
    }

    @Test
    public void multicastAndUnspecifiedIpv6AreSkipped() {
        Sighting sighting = read(info("d", 5000, Map.of(), ip("ff02::fb"), ip("::"),
                ip("2001:db8::1")));
        assertEquals(List.of("2001:db8:0:0:0:0:0:1"), sighting.communication().addresses());
    }

    @Test
    public void unusableIpv4RecordsAreSkippedLikeTheTxtAddress() {
        Sighting sighting = read(info("d", 5000, Map.of(), ip("0.0.0.0"), ip("224.0.0.251"),
                ip("255.255.255.255"), ip("10.0.0.1")));
        assertEquals(List.of("10.0.0.1"), sighting.communication().addresses());
    }

    @Test
    public void moreThan16AddressesAreCutTo16() {
        List<InetAddress> addresses = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            addresses.add(ip("10.0.0." + i));
        }
        Sighting sighting = read(info("d", 5000, Map.of("address", "192.168.1.23"), addresses.toArray(InetAddress[]::new)));
        List<String> kept = sighting.communication().addresses();
        assertEquals(Communication.MAX_ADDRESSES, kept.size());
        assertEquals("10.0.0.1", kept.get(0));
        assertEquals("10.0.0.16", kept.get(15));
    }

    @Test
    public void exactly16AddressesAreKept() {
        List<InetAddress> addresses = new ArrayList<>();
        for (int i = 1; i <= 15; i++) {
            addresses.add(ip("10.0.0." + i));
        }
        Sighting sighting = read(info("d", 5000, Map.of("address", "192.168.1.23"), addresses.toArray(InetAddress[]::new)));
        assertEquals(16, sighting.communication().addresses().size());
        assertEquals("192.168.1.23", sighting.communication().addresses().get(15));
    }

    @Test
    public void aControlCharacterNameIsSkippedEvenWithRecords() {
        skipped(info("evil\u001b[2Jname", 5000, Map.of(), ip("10.0.0.1")));
    }
}
