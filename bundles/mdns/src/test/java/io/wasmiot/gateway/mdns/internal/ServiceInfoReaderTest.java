package io.wasmiot.gateway.mdns.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.jmdns.ServiceInfo;

import org.junit.Test;

import io.wasmiot.gateway.api.Communication;
import io.wasmiot.gateway.api.DeviceSource;
import io.wasmiot.gateway.api.Sighting;

public class ServiceInfoReaderTest {
    private static final String TYPE = "_webthing._tcp.local.";
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

    private static Sighting read(ServiceInfo info) {
        ServiceInfoReader.Result result = ServiceInfoReader.read(info, NOW);
        assertNull("not skipped: " + result.skipReason(), result.skipReason());
        assertNotNull(result.sighting());
        return result.sighting();
    }

    private static String skipped(ServiceInfo info) {
        ServiceInfoReader.Result result = ServiceInfoReader.read(info, NOW);
        assertNull("skipped, but read as " + result.sighting(), result.sighting());
        assertNotNull(result.skipReason());
        return result.skipReason();
    }

    /** A TXT record from raw strings, one length byte each (to send what {@code Map}-built TXT cannot). */
    private static byte[] txt(byte[]... entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] entry : entries) {
            if (entry.length > 255) {
                throw new IllegalArgumentException("a TXT string has at most 255 bytes");
            }
            out.write(entry.length);
            out.write(entry, 0, entry.length);
        }
        return out.toByteArray();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    // ---- what ServiceInfo.create can express: TXT only ---------------------------------------

    @Test
    public void createdInfosHaveNoAddressRecords() {
        // Why AddressedServiceInfo exists: jmdns adds A/AAAA records only while resolving
        ServiceInfo info = ServiceInfo.create(TYPE, "dev", 5000, 0, 0, Map.of("address", "192.168.1.23"));
        assertEquals(0, info.getInet4Addresses().length);
        assertEquals(0, info.getInet6Addresses().length);
    }

    @Test
    public void theTxtAddressAloneIsEnough() {
        Sighting sighting = read(ServiceInfo.create(TYPE, "my-device", 5000, 0, 0,
                Map.of("address", "192.168.1.23", "path", "/")));
        assertEquals("my-device", sighting.name());
        assertEquals(new Communication(List.of("192.168.1.23"), 5000, false, "/"), sighting.communication());
        assertEquals(DeviceSource.MDNS, sighting.source());
        assertEquals(NOW, sighting.seenAt());
    }

    @Test
    public void tlsOnlyForOne() {
        assertTrue(read(ServiceInfo.create(TYPE, "d", 443, 0, 0, Map.of("address", "10.0.0.1", "tls", "1")))
                .communication().tls());
        for (String value : new String[] {"0", "true", "yes", "", " 1", "11"}) {
            assertFalse("tls=" + value, read(ServiceInfo.create(TYPE, "d", 443, 0, 0,
                    Map.of("address", "10.0.0.1", "tls", value))).communication().tls());
        }
        assertFalse(read(ServiceInfo.create(TYPE, "d", 80, 0, 0, Map.of("address", "10.0.0.1")))
                .communication().tls());
    }

    @Test
    public void aTxtAddressThatIsNotAUsableIpv4LiteralSkipsARecordWithoutOtherAddress() {
        for (String bad : new String[] {"pi4.local", "::1", "fe80::1", "999.1.1.1", "10.0.0", "01.2.3.4",
                "10.0.0.1 ", " 10.0.0.1", "10.0.0.1\n", "10.0.0.1/24", "0.0.0.0", "224.0.0.251", "239.255.255.250",
                "255.255.255.255", "x".repeat(200)}) {
            String reason = skipped(ServiceInfo.create(TYPE, "d", 5000, 0, 0, Map.of("address", bad)));
            assertTrue(bad + ": " + reason, reason.contains("TXT address is not a usable IPv4 literal"));
        }
    }

    @Test
    public void noAddressAtAllIsSkipped() {
        assertTrue(skipped(ServiceInfo.create(TYPE, "d", 5000, 0, 0, Map.of("path", "/"))).contains("no usable address"));
        // jmdns reads an empty value (or a key without '=') as "true": still no address
        ServiceInfo empty = ServiceInfo.create(TYPE, "d", 5000, 0, 0, Map.of("address", ""));
        assertEquals("true", empty.getPropertyString("address"));
        skipped(empty);
    }

    @Test
    public void aPortOutsideTheRangeIsSkipped() {
        for (int port : new int[] {0, -1, 65536, 70000, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            String reason = skipped(ServiceInfo.create(TYPE, "d", port, 0, 0, Map.of("address", "10.0.0.1")));
            assertTrue(port + ": " + reason, reason.contains("port"));
        }
        assertEquals(1, read(ServiceInfo.create(TYPE, "d", 1, 0, 0, Map.of("address", "10.0.0.1"))).communication().port());
        assertEquals(65535, read(ServiceInfo.create(TYPE, "d", 65535, 0, 0, Map.of("address", "10.0.0.1")))
                .communication().port());
    }

    @Test
    public void namesWithControlCharactersAreSkipped() {
        for (String name : new String[] {"dev\u0001ice", "dev\nice", "dev\rice", "dev\u007fice", "de\u0000v"}) {
            ServiceInfo info = ServiceInfo.create(TYPE, name, 5000, 0, 0, Map.of("address", "10.0.0.1"));
            assertEquals("jmdns keeps the name as sent", name, info.getName());
            skipped(info);
        }
    }

    @Test
    public void emptyBlankAndOverlongNamesAreSkipped() {
        skipped(ServiceInfo.create(TYPE, "", 5000, 0, 0, Map.of("address", "10.0.0.1")));
        skipped(ServiceInfo.create(TYPE, "   ", 5000, 0, 0, Map.of("address", "10.0.0.1")));
        skipped(ServiceInfo.create(TYPE, "n".repeat(256), 5000, 0, 0, Map.of("address", "10.0.0.1")));
        assertEquals(255, read(ServiceInfo.create(TYPE, "n".repeat(255), 5000, 0, 0, Map.of("address", "10.0.0.1")))
                .name().length());
    }

    @Test
    public void unicodeNamesAreKept() {
        assertEquals("café-sensor ünï", read(ServiceInfo.create(TYPE, "café-sensor ünï", 5000, 0, 0,
                Map.of("address", "10.0.0.1"))).name());
    }

    @Test
    public void pathIsKeptWhenItIsAnAbsolutePathOfAtMost255Characters() {
        String longest = "/" + "p".repeat(249); // "path=" + 250 characters: a full 255-byte TXT string
        assertEquals(longest, read(ServiceInfo.create(TYPE, "d", 5000, 0, 0,
                Map.of("address", "10.0.0.1", "path", longest))).communication().path());
        assertEquals("/api/v1", read(ServiceInfo.create(TYPE, "d", 5000, 0, 0,
                Map.of("address", "10.0.0.1", "path", "/api/v1"))).communication().path());
        for (String bad : new String[] {"", "api", "http://evil.example/", "p".repeat(250)}) {
            assertEquals("path " + bad, "/", read(ServiceInfo.create(TYPE, "d", 5000, 0, 0,
                    Map.of("address", "10.0.0.1", "path", bad))).communication().path());
        }
    }

    @Test
    public void hostileRawTxtRecordsDoNotBreakTheReader() {
        byte[] fullAddress = utf8("address=" + "9".repeat(247)); // 255 bytes
        byte[] badUtf8Address = {'a', 'd', 'd', 'r', 'e', 's', 's', '=', (byte) 0xff, (byte) 0xfe, '1'};
        byte[] keyOnly = utf8("address");
        for (byte[] entry : new byte[][] {fullAddress, badUtf8Address, keyOnly}) {
            ServiceInfo info = ServiceInfo.create(TYPE, "d", 5000, 0, 0, txt(entry, utf8("tls=1")));
            skipped(info); // no usable address, and no exception
            Sighting withRecord = read(new AddressedServiceInfo(info, List.of(ip("10.0.0.1"))));
            assertEquals(List.of("10.0.0.1"), withRecord.communication().addresses());
            assertTrue(withRecord.communication().tls());
        }
        byte[] fullPath = utf8("path=/" + "q".repeat(249)); // 255 bytes
        Sighting sighting = read(ServiceInfo.create(TYPE, "d", 5000, 0, 0,
                txt(utf8("address=10.0.0.2"), fullPath, utf8("=nokey"), new byte[0])));
        assertEquals(250, sighting.communication().path().length());
        assertEquals(List.of("10.0.0.2"), sighting.communication().addresses());
    }

    // ---- with address records ----------------------------------------------------------------

    @Test
    public void theTxtAddressIsAppendedWhenNotAmongTheRecords() {
        Sighting sighting = read(AddressedServiceInfo.of("d", 5000, Map.of("address", "192.168.1.23"),
                ip("10.0.0.1"), ip("10.0.0.2")));
        assertEquals(List.of("10.0.0.1", "10.0.0.2", "192.168.1.23"), sighting.communication().addresses());
    }

    @Test
    public void theTxtAddressIsNotRepeatedWhenAmongTheRecords() {
        Sighting sighting = read(AddressedServiceInfo.of("d", 5000, Map.of("address", "10.0.0.2"),
                ip("10.0.0.1"), ip("10.0.0.2")));
        assertEquals(List.of("10.0.0.1", "10.0.0.2"), sighting.communication().addresses());
    }

    @Test
    public void anUnusableTxtAddressIsIgnoredWhenThereAreRecords() {
        for (String bad : new String[] {"pi4.local", "999.1.1.1", "224.0.0.251", "0.0.0.0", "255.255.255.255"}) {
            Sighting sighting = read(AddressedServiceInfo.of("d", 5000, Map.of("address", bad), ip("10.0.0.1")));
            assertEquals(bad, List.of("10.0.0.1"), sighting.communication().addresses());
        }
    }

    @Test
    public void duplicateRecordsAreListedOnce() {
        Sighting sighting = read(AddressedServiceInfo.of("d", 5000, Map.of(), ip("10.0.0.1"), ip("10.0.0.1"),
                ip("2001:db8::1"), ip("2001:db8::1")));
        assertEquals(List.of("10.0.0.1", "2001:db8:0:0:0:0:0:1"), sighting.communication().addresses());
    }

    @Test
    public void ipv4FirstThenIpv6ThenTheTxtAddress() {
        Sighting sighting = read(AddressedServiceInfo.of("d", 5000, Map.of("address", "192.168.1.23"),
                ip("2001:db8::5"), ip("10.0.0.1")));
        assertEquals(List.of("10.0.0.1", "2001:db8:0:0:0:0:0:5", "192.168.1.23"), sighting.communication().addresses());
    }

    @Test
    public void unscopedLinkLocalIpv6IsSkippedAndScopedIsKept() {
        Sighting sighting = read(AddressedServiceInfo.of("d", 5000, Map.of(),
                ip("fe80::1"), scoped("fe80::2", 3), ip("10.0.0.1")));
        assertEquals(List.of("10.0.0.1", "fe80:0:0:0:0:0:0:2%3"), sighting.communication().addresses());
    }

    @Test
    public void onlyAnUnscopedLinkLocalAddressIsSkipped() {
        assertTrue(skipped(AddressedServiceInfo.of("d", 5000, Map.of(), ip("fe80::1"))).contains("no usable address"));
    }

    @Test
    public void multicastAndUnspecifiedIpv6AreSkipped() {
        Sighting sighting = read(AddressedServiceInfo.of("d", 5000, Map.of(), ip("ff02::fb"), ip("::"),
                ip("2001:db8::1")));
        assertEquals(List.of("2001:db8:0:0:0:0:0:1"), sighting.communication().addresses());
    }

    @Test
    public void unusableIpv4RecordsAreSkippedLikeTheTxtAddress() {
        Sighting sighting = read(AddressedServiceInfo.of("d", 5000, Map.of(), ip("0.0.0.0"), ip("224.0.0.251"),
                ip("255.255.255.255"), ip("10.0.0.1")));
        assertEquals(List.of("10.0.0.1"), sighting.communication().addresses());
    }

    @Test
    public void moreThan16AddressesAreCutTo16() {
        List<InetAddress> addresses = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            addresses.add(ip("10.0.0." + i));
        }
        Sighting sighting = read(new AddressedServiceInfo(ServiceInfo.create(TYPE, "d", 5000, 0, 0,
                Map.of("address", "192.168.1.23")), addresses));
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
        Sighting sighting = read(new AddressedServiceInfo(ServiceInfo.create(TYPE, "d", 5000, 0, 0,
                Map.of("address", "192.168.1.23")), addresses));
        assertEquals(16, sighting.communication().addresses().size());
        assertEquals("192.168.1.23", sighting.communication().addresses().get(15));
    }

    @Test
    public void aControlCharacterNameIsSkippedEvenWithRecords() {
        skipped(AddressedServiceInfo.of("evil\u001b[2Jname", 5000, Map.of(), ip("10.0.0.1")));
    }
}
