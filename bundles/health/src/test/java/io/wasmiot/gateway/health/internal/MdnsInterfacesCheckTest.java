package io.wasmiot.gateway.health.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.felix.hc.api.Result;
import org.junit.Test;
import org.xbill.DNS.Message;

import io.wasmiot.gateway.mdns.transport.MdnsTransport;

public class MdnsInterfacesCheckTest {
    @Test
    public void joinedOnEveryConfiguredInterfaceWithASourceIsOk() {
        assertEquals(Result.Status.OK, MdnsInterfacesCheck.judge(Set.of("eth0"), Set.of("eth0", "eth1"), 1).getStatus());
        assertEquals("nothing configured: any interface will do", Result.Status.OK,
                MdnsInterfacesCheck.judge(Set.of(), Set.of("lo"), 1).getStatus());
    }

    @Test
    public void aConfiguredInterfaceNotJoinedIsCriticalAndNamed() {
        Result result = MdnsInterfacesCheck.judge(Set.of("eth0", "wlan0"), Set.of("eth0"), 1);
        assertEquals(Result.Status.CRITICAL, result.getStatus());
        assertTrue(result.toString(), result.toString().contains("[wlan0]"));
    }

    @Test
    public void noInterfaceOrNoSourceIsCritical() {
        assertEquals(Result.Status.CRITICAL, MdnsInterfacesCheck.judge(Set.of(), Set.of(), 1).getStatus());
        assertEquals(Result.Status.CRITICAL, MdnsInterfacesCheck.judge(Set.of("eth0"), Set.of(), 1).getStatus());
        assertEquals(Result.Status.CRITICAL, MdnsInterfacesCheck.judge(Set.of(), Set.of("lo"), 0).getStatus());
    }

    @Test
    public void theConfiguredNamesComeAsAStringAnArrayOrAList() {
        assertEquals(Set.of("eth0"), MdnsInterfacesCheck.configured("eth0"));
        assertEquals(Set.of("eth0", "eth1"), MdnsInterfacesCheck.configured(new String[] {"eth0", "eth1", " "}));
        assertEquals(Set.of("eth1"), MdnsInterfacesCheck.configured(List.of("eth1")));
        assertEquals(Set.of(), MdnsInterfacesCheck.configured(null));
    }

    @Test
    public void executeNamesTheInterfacesOfTheTransportsAddresses() throws Exception {
        MdnsInterfacesCheck check = new MdnsInterfacesCheck();
        assertEquals("no transport", Result.Status.CRITICAL, check.execute().getStatus());
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        String name = NetworkInterface.getByInetAddress(loopback).getName();
        check.transport = Map.entry(Map.of(MdnsInterfacesCheck.INTERFACES, new String[] {name}), transport(loopback));
        assertEquals("joined, but no source", Result.Status.CRITICAL, check.execute().getStatus());
        check.sources = List.of(References.<io.wasmiot.gateway.mdns.transport.MdnsListener>any());
        Result result = check.execute();
        assertEquals(Result.Status.OK, result.getStatus());
        assertTrue(result.toString(), result.toString().contains("[" + name + "]"));
        check.transport = Map.entry(Map.of(MdnsInterfacesCheck.INTERFACES, "eth9"), transport(loopback));
        assertEquals(Result.Status.CRITICAL, check.execute().getStatus());
    }

    private static MdnsTransport transport(InetAddress address) {
        return new MdnsTransport() {
            @Override
            public void multicast(Message message) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Set<InetAddress> addresses() {
                return Set.of(address);
            }

            @Override
            public boolean isGatewayInstance(String instanceName) {
                return false;
            }
        };
    }
}
