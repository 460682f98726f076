package io.wasmiot.gateway.mdns.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.osgi.framework.BundleContext;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.source.SourceSession;
import io.wasmiot.gateway.mdns.transport.MdnsTransport;

/**
 * The source between the wire and the core: what python-zeroconf devices do in a life (announce,
 * restart without a goodbye, move, go quiet, come back, say goodbye) and what the core hears of it.
 */
public class WebthingBrowserTest {
    private static final InetSocketAddress DEVICE = new InetSocketAddress(Wire.ip("10.0.0.1"), 5353);

    /** Sends nothing: records what the source asks the network. */
    private static final class FakeTransport implements MdnsTransport {
        final List<Message> sent = new CopyOnWriteArrayList<>();

        @Override
        public void multicast(Message message) {
            sent.add(message);
        }

        @Override
        public Set<InetAddress> addresses() {
            return Set.of(Wire.ip("10.0.0.254"));
        }

        @Override
        public boolean isGatewayInstance(String instanceName) {
            return instanceName.equals("orchestrator");
        }
    }

    private static final class RecordingSink implements SourceSession {
        final List<String> heard = new CopyOnWriteArrayList<>();
        volatile boolean open = true;

        @Override
        public String sourceId() {
            return "mdns";
        }

        @Override
        public void sighted(String name, Communication communication) {
            if (!open) {
                throw new IllegalStateException("closed");
            }
            heard.add(name + " " + communication.addresses() + ":" + communication.port());
        }

        @Override
        public void goodbye(String name, String reason) {
            if (!open) {
                throw new IllegalStateException("closed");
            }
            heard.add("goodbye " + name + " (" + reason + ")");
        }

        @Override
        public boolean isOpen() {
            return open;
        }
    }

    private final FakeTransport transport = new FakeTransport();
    private final RecordingSink sink = new RecordingSink();
    private WebthingBrowser browser;

    @Before
    public void start() {
        BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class},
                (proxy, method, args) -> method.getName().equals("getProperty") ? "3000" : null);
        browser = new WebthingBrowser(context);
        browser.bindTransport(transport);
        browser.open(sink);
    }

    @After
    public void stop() {
        browser.deactivate();
    }

    private void hear(Message message) {
        browser.received(Wire.wire(message), DEVICE);
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Waits until the sink is bound (the binding is handed to the source's own thread). */
    private void bound() {
        await("the sink bound", () -> {
            hear(Wire.announcement("probe-the-binding", 1, "10.0.0.99"));
            return !sink.heard.isEmpty();
        });
        sink.heard.clear();
    }

    @Test
    public void aDeviceIsReportedOnceHoweverOftenItRepeatsItself() {
        bound();
        for (int i = 0; i < 3; i++) {
            hear(Wire.announcement("dev", 5000, "10.0.0.1"));
        }
        assertEquals(List.of("dev [10.0.0.1]:5000"), sink.heard);
    }

    @Test
    public void aRestartWithoutGoodbyeAtTheSamePlaceIsReportedAgain() {
        bound();
        hear(Wire.announcement("dev", 5000, "10.0.0.1"));
        hear(Wire.pythonProbe("dev")); // python-zeroconf probes its name before it announces it again
        hear(Wire.announcement("dev", 5000, "10.0.0.1"));
        hear(Wire.announcement("dev", 5000, "10.0.0.1"));
        hear(Wire.probe("dev", 5000)); // and so does jmdns, as RFC 6762 says
        hear(Wire.announcement("dev", 5000, "10.0.0.1"));
        assertEquals(List.of("dev [10.0.0.1]:5000", "dev [10.0.0.1]:5000", "dev [10.0.0.1]:5000"), sink.heard);
    }

    @Test
    public void aRestartWithoutGoodbyeOnAnotherPortOrAddressIsReportedAtItsFirstAnnouncement() {
        bound();
        hear(Wire.announcement("dev", 5000, "10.0.0.1"));
        hear(Wire.announcement("dev", 5001, "10.0.0.1"));
        pause(1100); // an address announced with the cache-flush bit replaces those older than a second
        hear(Wire.announcement("dev", 5001, "10.0.0.7"));
        assertEquals(List.of("dev [10.0.0.1]:5000", "dev [10.0.0.1]:5001", "dev [10.0.0.7]:5001"), sink.heard);
    }

    @Test
    public void expiredRecordsAreNoGoodbyeAndTheReturnIsReported() {
        bound();
        hear(Wire.announcement("dev", 5000, "10.0.0.1", 1, 4500, List.of("path=/")));
        await("the SRV expired", () -> browser.metrics().stream()
                .anyMatch(m -> m.name().equals("wasmiot_mdns_expired_total") && m.value() == 1));
        assertEquals("no goodbye", List.of("dev [10.0.0.1]:5000"), sink.heard);
        hear(Wire.announcement("dev", 5000, "10.0.0.1"));
        assertEquals(List.of("dev [10.0.0.1]:5000", "dev [10.0.0.1]:5000"), sink.heard);
    }

    @Test
    public void aTtlZeroRecordIsAGoodbye() {
        bound();
        hear(Wire.announcement("dev", 5000, "10.0.0.1"));
        hear(Wire.goodbye("dev", 5000, "10.0.0.1"));
        assertEquals(List.of("dev [10.0.0.1]:5000", "goodbye dev (mDNS goodbye)"), sink.heard);
    }

    @Test
    public void aGoodbyeHeardWhileClosedIsToldAtTheNextOpenAndTheClosedSessionIsLeftAlone() {
        bound();
        hear(Wire.announcement("dev", 5000, "10.0.0.1"));
        hear(Wire.announcement("stays", 5000, "10.0.0.2"));
        browser.close(sink);
        sink.open = false;
        hear(Wire.goodbye("dev", 5000, "10.0.0.1"));
        hear(Wire.announcement("new", 5000, "10.0.0.3"));

        RecordingSink next = new RecordingSink();
        browser.open(next);
        await("the replay", () -> next.heard.size() == 4);
        assertEquals("goodbye dev (mDNS goodbye)", next.heard.get(0));
        assertEquals(Set.of("probe-the-binding [10.0.0.99]:1", "stays [10.0.0.2]:5000", "new [10.0.0.3]:5000"),
                Set.copyOf(next.heard.subList(1, 4)));
        assertEquals(List.of("dev [10.0.0.1]:5000", "stays [10.0.0.2]:5000"), sink.heard);
    }

    @Test
    public void theGatewayIsNeverReported() {
        bound();
        hear(Wire.announcement("orchestrator", 5000, "10.0.0.1"));
        hear(Wire.announcement("other-gateway", 3000, "10.0.0.254")); // at the gateway's port and address
        assertEquals(List.of(), sink.heard);
    }

    @Test
    public void anInstanceKnownOnlyByItsPointerIsAskedFor() {
        bound();
        transport.sent.clear();
        hear(Wire.response(new PTRRecord(ServiceCache.SERVICE_TYPE, DClass.IN, 4500, Wire.instance("half"))));
        await("a question for half's records", () -> transport.sent.stream().anyMatch(query -> {
            Record question = query.getQuestion();
            return question != null && question.getName().equals(Wire.instance("half"))
                    && question.getType() == Type.ANY;
        }));
        assertTrue(sink.heard.isEmpty());
    }

    @Test
    public void aNameHeardOnlyInAProbeIsAskedForOnceItsOwnerHadTimeToAnnounceIt() {
        bound();
        transport.sent.clear();
        long probed = System.nanoTime();
        hear(Wire.pythonProbe("lost")); // its announcements lost on the way
        await("a question for lost's records", () -> transport.sent.stream().anyMatch(query -> {
            Record question = query.getQuestion();
            return question != null && question.getName().equals(Wire.instance("lost")) && question.getType() == Type.ANY;
        }));
        assertTrue("not before its owner could announce", System.nanoTime() - probed
                >= java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(Resolution.AFTER_PROBE_MILLIS));
        hear(Wire.announcement("lost", 5000, "10.0.0.1"));
        assertEquals(List.of("lost [10.0.0.1]:5000"), sink.heard);
    }

    @Test
    public void theNetworkIsAskedAgainAtDoublingIntervalsOnceAnInterfaceIsUp() {
        bound();
        transport.sent.clear();
        browser.interfaceUp(Wire.ip("10.0.0.254"));
        await("three browse queries (now, 1 s and 3 s later)", () -> transport.sent.stream()
                .filter(query -> query.getQuestion() != null && query.getQuestion().getType() == Type.PTR).count() >= 3);
    }

    @Test
    public void aNewSinkHearsWhatIsKnownAndAWipeMakesEverythingNewAgain() {
        bound();
        hear(Wire.announcement("dev", 5000, "10.0.0.1"));
        RecordingSink second = new RecordingSink();
        browser.open(second);
        await("replayed to the new sink", () -> second.heard.contains("dev [10.0.0.1]:5000"));

        transport.sent.clear();
        browser.forgetSightings();
        await("a browse query after the wipe", () -> transport.sent.stream().anyMatch(query ->
                query.getSection(Section.QUESTION).stream().anyMatch(q -> q.getType() == Type.PTR)));
        hear(Wire.announcement("dev", 5000, "10.0.0.1"));
        assertEquals(List.of("dev [10.0.0.1]:5000", "dev [10.0.0.1]:5000"),
                second.heard.stream().filter(heard -> heard.startsWith("dev ")).toList());
    }

    @Test
    public void browseQueriesCarryWhatWasReportedSoOnlyTheUnheardAnswer() {
        bound();
        hear(Wire.announcement("dev", 5000, "10.0.0.1"));
        await("dev reported", () -> sink.heard.contains("dev [10.0.0.1]:5000"));
        transport.sent.clear();
        browser.interfaceUp(Wire.ip("10.0.0.254"));
        await("a browse query naming dev as a known answer", () -> transport.sent.stream().anyMatch(query ->
                query.getSection(Section.ANSWER).stream().anyMatch(known -> known instanceof PTRRecord ptr
                        && ptr.getTarget().equals(Wire.instance("dev")))));

        transport.sent.clear();
        browser.forgetSightings();
        await("a browse query after the wipe", () -> transport.sent.stream().anyMatch(query ->
                query.getSection(Section.QUESTION).stream().anyMatch(q -> q.getType() == Type.PTR)));
        assertTrue("after a wipe everyone must answer again", transport.sent.stream()
                .filter(query -> !query.getSection(Section.QUESTION).isEmpty()
                        && query.getQuestion().getType() == Type.PTR)
                .allMatch(query -> query.getSection(Section.ANSWER).isEmpty()));
    }
}
