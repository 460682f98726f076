package io.wasmiot.gateway.mdns.transport.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.BooleanSupplier;

import org.junit.After;
import org.junit.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import io.wasmiot.gateway.mdns.transport.DnsLabels;

/** The gateway's own advertisement against a recorded wire: probing, renaming, answering, goodbye. */
public class SelfAdvertisementTest {
    private static final InetAddress ADDRESS = address("10.0.0.254");
    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
    private final List<Message> multicast = new CopyOnWriteArrayList<>();
    private final List<Message> unicast = new CopyOnWriteArrayList<>();
    private final SelfAdvertisement self = new SelfAdvertisement("orchestrator", 3000, ADDRESS,
            new SelfAdvertisement.Wire() {
                @Override
                public List<InterfaceSelection.Selected> interfaces() {
                    return List.of(new InterfaceSelection.Selected(loopback(), List.of(ADDRESS)));
                }

                @Override
                public void multicast(InterfaceSelection.Selected nic, Message message) {
                    multicast.add(message);
                }

                @Override
                public void unicast(InetSocketAddress target, Message message) {
                    unicast.add(message);
                }
            }, timer);

    @After
    public void stop() {
        timer.shutdownNow();
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static NetworkInterface loopback() {
        try {
            return NetworkInterface.getByInetAddress(InetAddress.getLoopbackAddress());
        } catch (java.net.SocketException e) {
            throw new AssertionError(e);
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static boolean isResponse(Message message) {
        return message.getHeader().getFlag(Flags.QR);
    }

    private long responses() {
        return multicast.stream().filter(SelfAdvertisementTest::isResponse).count();
    }

    private void announced() {
        self.start();
        await("announced", () -> responses() >= 1);
    }

    @Test
    public void itProbesThreeTimesThenAnnouncesEveryRecord() {
        announced();
        List<Message> probes = multicast.stream().filter(m -> !isResponse(m)).toList();
        assertEquals(3, probes.size());
        assertEquals(Type.ANY, probes.get(0).getQuestion().getType());
        assertFalse(probes.get(0).getSection(Section.AUTHORITY).isEmpty());
        Message announcement = multicast.stream().filter(SelfAdvertisementTest::isResponse).findFirst().orElseThrow();
        PTRRecord ptr = (PTRRecord) announcement.getSection(Section.ANSWER).get(0);
        assertEquals("orchestrator", DnsLabels.firstLabel(ptr.getTarget()));
        assertEquals(SelfAdvertisement.OTHER_TTL, ptr.getTTL());
        SRVRecord srv = (SRVRecord) announcement.getSection(Section.ADDITIONAL).stream()
                .filter(r -> r.getType() == Type.SRV).findFirst().orElseThrow();
        assertEquals(3000, srv.getPort());
        assertEquals(SelfAdvertisement.HOST_TTL, srv.getTTL());
        assertTrue("unique records flush caches", (srv.getDClass() & 0x8000) != 0);
        await("announced a second time", () -> responses() >= 2);
    }

    @Test
    public void aNameSomeoneElseAnswersForWhileItProbesBecomesTheNextNumber() {
        self.start();
        Message claim = new Message(0);
        claim.getHeader().setFlag(Flags.QR);
        claim.addRecord(new SRVRecord(DnsLabels.child("orchestrator", SelfAdvertisement.SERVICE_TYPE), DClass.IN | 0x8000,
                120, 0, 0, 3000, org.xbill.DNS.Name.fromConstantString("elsewhere.local.")), Section.ANSWER);
        self.received(claim, new InetSocketAddress(address("10.0.0.9"), 5353));
        assertEquals("orchestrator (2)", self.instanceName());
        await("announced under the new name", () -> responses() >= 1);
        PTRRecord ptr = (PTRRecord) multicast.stream().filter(SelfAdvertisementTest::isResponse).findFirst().orElseThrow()
                .getSection(Section.ANSWER).get(0);
        assertEquals("orchestrator (2)", DnsLabels.firstLabel(ptr.getTarget()));
    }

    @Test
    public void aBrowseQueryIsAnsweredUnlessItKnowsTheAnswer() {
        announced();
        await("both announcements", () -> responses() >= 2);
        long before = responses();
        Message query = new Message(0);
        query.addRecord(Record.newRecord(SelfAdvertisement.SERVICE_TYPE, Type.PTR, DClass.IN), Section.QUESTION);
        self.received(query, new InetSocketAddress(address("10.0.0.9"), 5353));
        await("the answer", () -> responses() == before + 1);

        Message knowing = new Message(0);
        knowing.addRecord(Record.newRecord(SelfAdvertisement.SERVICE_TYPE, Type.PTR, DClass.IN), Section.QUESTION);
        knowing.addRecord(new PTRRecord(SelfAdvertisement.SERVICE_TYPE, DClass.IN, 4000,
                DnsLabels.child("orchestrator", SelfAdvertisement.SERVICE_TYPE)), Section.ANSWER);
        self.received(knowing, new InetSocketAddress(address("10.0.0.9"), 5353));
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertEquals("a known answer is not repeated", before + 1, responses());
    }

    @Test
    public void aQuestionFromAnotherPortIsAnsweredToItAloneWithItsId() {
        announced();
        Message query = new Message(4242);
        query.addRecord(Record.newRecord(SelfAdvertisement.SERVICE_TYPE, Type.PTR, DClass.IN), Section.QUESTION);
        self.received(query, new InetSocketAddress(address("10.0.0.9"), 40000));
        await("the unicast answer", () -> !unicast.isEmpty());
        Message answer = unicast.get(0);
        assertEquals(4242, answer.getHeader().getID());
        assertEquals(10, answer.getSection(Section.ANSWER).get(0).getTTL());
    }

    @Test
    public void stopSaysGoodbyeWithTtlZero() {
        announced();
        self.stop();
        Message goodbye = multicast.get(multicast.size() - 1);
        assertTrue(isResponse(goodbye));
        assertTrue(goodbye.getSection(Section.ANSWER).stream().allMatch(r -> r.getTTL() == 0));
        assertTrue(goodbye.getSection(Section.ANSWER).stream().anyMatch(r -> r.getType() == Type.SRV));
    }
}
