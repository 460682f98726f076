package io.wasmiot.gateway.mdns.internal;

import static io.wasmiot.gateway.mdns.internal.Wire.FLUSH;
import static io.wasmiot.gateway.mdns.internal.Wire.host;
import static io.wasmiot.gateway.mdns.internal.Wire.instance;
import static io.wasmiot.gateway.mdns.internal.Wire.ip;
import static io.wasmiot.gateway.mdns.internal.Wire.wire;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TXTRecord;

/** The record cache against what python-zeroconf and jmdns devices send (docs/contract.md §9, RFC 6762 §10). */
public class ServiceCacheTest {
    private final ServiceCache cache = new ServiceCache();
    private long now = 1_000_000_000L;

    private ServiceCache.Applied apply(Message message) {
        return cache.apply(wire(message), true, now);
    }

    private void later(long seconds) {
        now += TimeUnit.SECONDS.toNanos(seconds);
    }

    private ServiceCache.Instance dev() {
        return cache.instance("dev");
    }

    @Test
    public void oneAnnouncementMakesACompleteInstance() {
        ServiceCache.Applied applied = apply(Wire.announcement("dev", 5000, "10.0.0.1"));
        assertEquals(1, applied.touched().size());
        ServiceCache.Instance dev = dev();
        assertEquals("dev", dev.label);
        assertEquals(5000, dev.port);
        assertEquals(host("dev"), dev.target);
        assertEquals(List.of(ip("10.0.0.1")), cache.addresses(dev));
        assertEquals(Map.of("path", "/", "tls", "0", "address", "10.0.0.1"), dev.txt);
        assertTrue("a new instance is news", dev.news);
    }

    @Test
    public void onlyATtlZeroRecordIsAGoodbye() {
        apply(Wire.announcement("dev", 5000, "10.0.0.1"));
        ServiceCache.Applied bye = apply(Wire.goodbye("dev", 5000, "10.0.0.1"));
        assertEquals(1, bye.goodbyes().size());
        assertEquals("dev", bye.goodbyes().get(0).label);
        assertTrue(bye.touched().isEmpty());
        assertNull(dev());
        assertTrue("a goodbye for what is gone says nothing", apply(Wire.goodbye("dev", 5000, "10.0.0.1")).goodbyes().isEmpty());
    }

    @Test
    public void anSrvGoodbyeAloneIsAGoodbyeToo() {
        apply(Wire.announcement("dev", 5000, "10.0.0.1"));
        ServiceCache.Applied bye = apply(Wire.response(new SRVRecord(instance("dev"), FLUSH, 0, 0, 0, 5000, host("dev"))));
        assertEquals(1, bye.goodbyes().size());
    }

    @Test
    public void anExpiredSrvIsNoGoodbyeAndMakesTheNextAnnouncementNews() {
        apply(Wire.announcement("dev", 5000, "10.0.0.1"));
        dev().news = false; // reported
        later(119);
        assertTrue(cache.expire(now).isEmpty());
        later(2);
        List<ServiceCache.Instance> expired = cache.expire(now);
        assertEquals(1, expired.size());
        ServiceCache.Instance dev = dev();
        assertFalse("no SRV any more", dev.hasSrv());
        assertTrue(cache.addresses(dev).isEmpty());
        assertTrue("its return is news", dev.news);
        assertEquals("the PTR (75 min) is still there", dev, cache.instance("dev"));

        later(10);
        apply(Wire.announcement("dev", 5000, "10.0.0.1"));
        assertTrue(dev().hasSrv());
        assertTrue(dev().news);
    }

    @Test
    public void anInstanceWithEverythingExpiredIsDropped() {
        apply(Wire.announcement("dev", 5000, "10.0.0.1", 120, 200, List.of("path=/")));
        later(201);
        cache.expire(now);
        assertNull(dev());
        assertEquals(0, cache.size());
    }

    @Test
    public void aProbeForAKnownNameMakesItsNextAnnouncementNews() {
        apply(Wire.announcement("dev", 5000, "10.0.0.1"));
        dev().news = false;
        assertTrue("a probe changes no record", apply(Wire.probe("dev", 5000)).touched().isEmpty());
        assertTrue(dev().news);
        assertEquals("the proposed records are not taken as announced", 5000, dev().port);
        apply(Wire.probe("other", 6000));
        assertNull("a probe for an unknown name makes no instance", cache.instance("other"));
    }

    @Test
    public void pythonZeroconfsProbeMarksItsNameToo() {
        apply(Wire.announcement("dev", 5000, "10.0.0.1"));
        dev().news = false;
        apply(Wire.pythonProbe("dev"));
        assertTrue(dev().news);
    }

    @Test
    public void anotherPortOrAddressReplacesTheOldOne() {
        apply(Wire.announcement("dev", 5000, "10.0.0.1"));
        later(5);
        apply(Wire.announcement("dev", 5001, "10.0.0.9"));
        assertEquals(5001, dev().port);
        assertEquals("the flush bit replaces the old address", List.of(ip("10.0.0.9")), cache.addresses(dev()));
    }

    @Test
    public void addressesOfOneAnnouncementAreKeptTogetherAndSharedOnesAdd() {
        apply(Wire.announcement("dev", 5000, "10.0.0.1"));
        apply(Wire.response(new ARecord(host("dev"), FLUSH, 120, ip("10.0.0.2"))));
        assertEquals("within a second, a flush keeps the same burst's addresses", List.of(ip("10.0.0.1"), ip("10.0.0.2")),
                cache.addresses(dev()));
        later(3);
        apply(Wire.response(new ARecord(host("dev"), DClass.IN, 120, ip("10.0.0.3"))));
        assertEquals(3, cache.addresses(dev()).size());
        apply(Wire.response(new ARecord(host("dev"), FLUSH, 0, ip("10.0.0.2"))));
        assertEquals("an address with TTL 0 goes", List.of(ip("10.0.0.1"), ip("10.0.0.3")), cache.addresses(dev()));
    }

    @Test
    public void addressesOfHostsNoInstanceNamesAreNotKept() {
        apply(Wire.response(new ARecord(host("printer"), FLUSH, 120, ip("10.0.0.50"))));
        apply(Wire.announcement("dev", 5000, "10.0.0.1"));
        apply(Wire.response(new SRVRecord(instance("dev"), FLUSH, 120, 0, 0, 5000, host("printer"))));
        assertTrue("the earlier A record was not kept", cache.addresses(dev()).isEmpty());
    }

    @Test
    public void responsesNotFromPort5353AreIgnored() {
        ServiceCache.Applied applied = cache.apply(wire(Wire.announcement("dev", 5000, "10.0.0.1")), false, now);
        assertTrue(applied.touched().isEmpty());
        assertEquals(0, cache.size());
    }

    @Test
    public void otherServiceTypesAreIgnored() {
        apply(Wire.response(new SRVRecord(org.xbill.DNS.Name.fromConstantString("x._http._tcp.local."), FLUSH, 120, 0, 0,
                80, host("x"))));
        assertEquals(0, cache.size());
    }

    @Test
    public void txtStringsAreReadAsBytesWhateverTheyHold() {
        apply(Wire.announcement("dev", 5000, "10.0.0.1"));
        TXTRecord hostile = new TXTRecord(instance("dev"), FLUSH, 4500, List.of(
                "PATH=/api", "path=/second-ignored", "keyonly", "=novalue", "", "address=" + "9".repeat(200)));
        apply(Wire.response(hostile));
        Map<String, String> txt = dev().txt;
        assertEquals("/api", txt.get("path"));
        assertEquals("", txt.get("keyonly"));
        assertEquals(201, txt.get("address").length() + 1);
        assertFalse(txt.containsKey(""));
    }

    @Test
    public void unicodeAndSpacesInNamesSurviveTheWire() {
        apply(Wire.announcement("Küche sensor (2)", 5000, "10.0.0.1"));
        assertEquals("Küche sensor (2)", cache.instances().iterator().next().label);
    }

    @Test
    public void aNameWithDotsWrittenAsSeveralLabelsAsJmdnsDoesIsOneInstance() throws Exception {
        org.xbill.DNS.Name dotted = org.xbill.DNS.Name.fromString("dotted.name.x._webthing._tcp.local.");
        apply(Wire.response(new org.xbill.DNS.PTRRecord(ServiceCache.SERVICE_TYPE, DClass.IN, 4500, dotted),
                new SRVRecord(dotted, FLUSH, 120, 0, 0, 5000, host("dotted"))));
        assertEquals("dotted.name.x", cache.instance("dotted.name.x").label);
        assertEquals(5000, cache.instance("dotted.name.x").port);
    }

    @Test
    public void namesInJavasModifiedUtf8AsJmdnsWritesThemAreRead() {
        String rocket = "dev-\uD83D\uDE80".translateEscapes();
        byte[] modified = {'d', 'e', 'v', '-', (byte) 0xED, (byte) 0xA0, (byte) 0xBD, (byte) 0xED, (byte) 0xBA, (byte) 0x80};
        assertEquals(rocket, io.wasmiot.gateway.mdns.transport.DnsLabels.text(modified));
        assertEquals(rocket, io.wasmiot.gateway.mdns.transport.DnsLabels.text(rocket.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertEquals("bytes that are neither are replaced", "a\uFFFDb".translateEscapes(),
                io.wasmiot.gateway.mdns.transport.DnsLabels.text(new byte[] {'a', (byte) 0xFF, 'b'}));
    }

    @Test
    public void theNumberOfInstancesIsBounded() {
        for (int i = 0; i < ServiceCache.MAX_INSTANCES + 5; i++) {
            cache.apply(Wire.announcement("d" + i, 5000, "10.0.0.1"), true, now);
        }
        assertEquals(ServiceCache.MAX_INSTANCES, cache.size());
        assertTrue("the records of the 5 left out were counted: " + cache.dropped(), cache.dropped() >= 5);
    }

    @Test
    public void onlyReportedInstancesWithAFreshPointerAreKnownAnswers() {
        apply(Wire.announcement("dev", 5000, "10.0.0.1", 120, 200, List.of("path=/")));
        apply(Wire.announcement("other", 5001, "10.0.0.2", 120, 200, List.of("path=/")));
        assertTrue("nothing reported yet: everyone must answer", cache.knownAnswers(now).isEmpty());
        dev().reported = "reported";
        dev().news = false;
        later(40);
        List<Record> known = cache.knownAnswers(now);
        assertEquals(1, known.size());
        PTRRecord ptr = (PTRRecord) known.get(0);
        assertEquals(ServiceCache.SERVICE_TYPE, ptr.getName());
        assertEquals(instance("dev"), ptr.getTarget());
        assertEquals("the PTR's remaining lifetime", 160, ptr.getTTL());
        dev().news = true;
        assertTrue("news (a probe, an expiry) must be heard again", cache.knownAnswers(now).isEmpty());
        dev().news = false;
        later(61);
        assertTrue("less than half its lifetime left: asked to refresh it", cache.knownAnswers(now).isEmpty());
        apply(Wire.announcement("dev", 5000, "10.0.0.1", 120, 200, List.of("path=/")));
        dev().news = false;
        assertEquals("refreshed", 1, cache.knownAnswers(now).size());
    }
}
