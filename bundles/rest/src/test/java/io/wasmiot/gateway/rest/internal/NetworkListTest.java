package io.wasmiot.gateway.rest.internal;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class NetworkListTest {
    private static NetworkList of(String... cidrs) {
        return NetworkList.parse(cidrs);
    }

    @Test
    public void anEmptyListAllowsEveryone() {
        NetworkList empty = of();
        assertTrue(empty.allows("10.0.0.1"));
        assertTrue(empty.allows("2001:db8::1"));
        assertTrue("even what is not an address", empty.allows("whatever"));
        assertTrue("blank entries are no blocks", of("", "  ").allows("8.8.8.8"));
    }

    @Test
    public void ipv4Blocks() {
        NetworkList list = of("192.168.1.0/24", " 10.0.0.0/8 ");
        assertTrue(list.allows("192.168.1.0"));
        assertTrue(list.allows("192.168.1.255"));
        assertFalse(list.allows("192.168.2.1"));
        assertFalse(list.allows("192.168.0.255"));
        assertTrue(list.allows("10.255.255.255"));
        assertFalse(list.allows("11.0.0.0"));
        assertFalse("an IPv4 block does not hold IPv6 addresses", list.allows("2001:db8::1"));
    }

    @Test
    public void oddPrefixLengths() {
        NetworkList list = of("172.16.0.0/12", "100.64.0.0/10");
        assertTrue(list.allows("172.31.255.255"));
        assertFalse(list.allows("172.32.0.0"));
        assertTrue(list.allows("100.127.0.1"));
        assertFalse(list.allows("100.128.0.1"));
    }

    @Test
    public void aBareAddressIsASingleHostAndSlash0IsEverything() {
        NetworkList host = of("10.0.0.5");
        assertTrue(host.allows("10.0.0.5"));
        assertFalse(host.allows("10.0.0.4"));
        assertFalse(host.allows("10.0.0.6"));
        NetworkList all = of("0.0.0.0/0");
        assertTrue(all.allows("1.2.3.4"));
        assertTrue(all.allows("255.255.255.255"));
        assertFalse("IPv4 /0 is not IPv6", all.allows("::1"));
    }

    @Test
    public void theNetworkPartOfABlockNeedNotBeClean() {
        assertTrue(of("192.168.1.77/24").allows("192.168.1.3"));
    }

    @Test
    public void ipv6Blocks() {
        NetworkList list = of("fd00::/8", "2001:db8:abcd::/48", "::1/128");
        assertTrue(list.allows("fd12:3456::1"));
        assertFalse(list.allows("fe80::1"));
        assertTrue(list.allows("2001:db8:abcd:ffff::1"));
        assertFalse(list.allows("2001:db8:abce::1"));
        assertTrue(list.allows("::1"));
        assertTrue(list.allows("0:0:0:0:0:0:0:1"));
        assertFalse(list.allows("::2"));
        assertFalse("an IPv6 block does not hold IPv4 addresses", list.allows("10.0.0.1"));
        assertTrue(of("::/0").allows("2001:db8::1"));
    }

    @Test
    public void whatIsNotAnAddressIsRefusedByANonEmptyList() {
        NetworkList list = of("0.0.0.0/0", "::/0");
        assertFalse(list.allows("localhost"));
        assertFalse(list.allows(""));
        assertFalse(list.allows("10.0.0.1; rm -rf"));
    }

    @Test
    public void theBracketedIpv6FormOfJettyIsAllowed() {
        NetworkList list = of("::1/128", "fd00::/8");
        assertTrue(list.allows("[0:0:0:0:0:0:0:1]"));
        assertTrue(list.allows("[fd00:0:0:0:0:0:0:5]"));
    }

    @Test
    public void badBlocksAreRefusedAtParse() {
        for (String bad : new String[] {"10.0.0.0/33", "10.0.0.0/-1", "::/129", "10.0.0.0/x", "10.0.0.0/", "/8",
                "10.0.0.0/8/9", "host.example/8", "10.0.0.0 /8", "10.0.0.256/8", "1.2.3.4.5/32", "[::1]/128"}) {
            assertThrows(bad, IllegalArgumentException.class, () -> of(bad));
        }
    }
}
