package io.wasmiot.agent.internal.mdns;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import io.wasmiot.agent.internal.Await;

/** The responder on the wire, seen by an independent listener on loopback (inside bin/netns-run). */
public class ResponderTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final List<byte[]> TXT = List.of(bytes("path=/"), bytes("tls=0"), bytes("address=127.0.0.1"));

    private TestBrowser browser;
    private final List<Responder> responders = new ArrayList<>();

    @Before
    public void listen() throws Exception {
        Loopback.assumeOnlyLoopback();
        browser = new TestBrowser();
    }

    @After
    public void close() throws Exception {
        for (Responder responder : responders) {
            responder.close(false, Duration.ofSeconds(2));
        }
        if (browser != null) {
            browser.close();
        }
    }

    private Responder responder() throws Exception {
        Responder responder = Responder.open(Loopback.address(), RecordLifetimes.PYTHON_ZEROCONF, 0, "test-mdns");
        responders.add(responder);
        return responder;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean probes(TestBrowser.Received datagram, String name) {
        return datagram.isQuery() && datagram.records(Section.AUTHORITY).stream()
                .anyMatch(r -> r instanceof PTRRecord p && MdnsNames.firstLabel(p.getTarget()).equals(name));
    }

    @Test
    public void probesThreeTimesThenAnnouncesThreeTimesAsPythonZeroconf() throws Exception {
        Responder responder = responder();
        responder.advertise("dev-a", 40001, TXT);

        Await.until("three announcements", WAIT, () -> browser.received(d -> d.announces("dev-a")).size() == 3);
        List<TestBrowser.Received> probes = browser.received(d -> probes(d, "dev-a"));
        List<TestBrowser.Received> announcements = browser.received(d -> d.announces("dev-a"));
        assertEquals(3, probes.size());
        for (TestBrowser.Received probe : probes) {
            Record question = probe.records(Section.QUESTION).get(0);
            assertEquals(TestBrowser.TYPE, question.getName());
            assertEquals(Type.PTR, question.getType());
            assertEquals("QU: the unicast-response bit", DClass.IN | 0x8000, question.getDClass());
            assertEquals(4500, probe.records(Section.AUTHORITY).get(0).getTTL());
        }
        // Arrival times carry the listener's own delays (a busy machine): loose lower bounds, the
        // figures printed.
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < 3; i++) {
            gaps.add((probes.get(i).nanos() - probes.get(i - 1).nanos()) / 1_000_000);
        }
        for (int i = 1; i < 3; i++) {
            gaps.add((announcements.get(i).nanos() - announcements.get(i - 1).nanos()) / 1_000_000);
        }
        long span = (announcements.get(0).nanos() - probes.get(0).nanos()) / 1_000_000;
        System.out.println("probe gaps, announcement gaps (ms): " + gaps + "; first probe to first announcement " + span
                + " ms (python-zeroconf: 175, 175, 225, 225; 350)");
        assertTrue("separate sends, not one burst: " + gaps, gaps.stream().allMatch(gap -> gap >= 100));
        assertTrue("two probe intervals before the announcement: " + span, span >= 300);
        assertTrue("announced after the last probe", announcements.get(0).nanos() >= probes.get(2).nanos());
        List<Record> records = announcements.get(0).records(Section.ANSWER);
        assertEquals(List.of(Type.PTR, Type.SRV, Type.TXT, Type.A), records.stream().map(Record::getType).toList());
        assertEquals(List.of(4500L, 120L, 4500L, 120L), records.stream().map(Record::getTTL).toList());
        assertEquals("PTR shared, the rest cache-flush", List.of(DClass.IN, DClass.IN | 0x8000, DClass.IN | 0x8000,
                DClass.IN | 0x8000), records.stream().map(Record::getDClass).toList());
        SRVRecord srv = (SRVRecord) records.get(1);
        assertEquals(40001, srv.getPort());
        assertEquals("dev-a.local.", srv.getTarget().toString());
        assertTrue(browser.resolved("dev-a", 40001));
    }

    @Test
    public void answersABrowseQuestionWithEveryServicePackedAndLeavesOutKnownAnswers() throws Exception {
        Responder responder = responder();
        int count = 300;
        String[] names = new String[count];
        for (int i = 0; i < count; i++) {
            names[i] = String.format("browse-device-%04d", i);
            responder.advertise(names[i], 41000 + i, TXT);
        }
        browser.awaitAnnounced(WAIT, names);
        browser.clear();

        browser.send(TestBrowser.query(TestBrowser.TYPE, Type.PTR));
        Set<String> answered = awaitAnsweredPointers(count);
        assertEquals(count, answered.size());
        List<TestBrowser.Received> answers = browser.received(d -> d.isAnswer());
        int bytes = answers.stream().mapToInt(TestBrowser.Received::bytes).sum();
        assertTrue("each datagram at most 8966 bytes", answers.stream().allMatch(d -> d.bytes() <= 8966));
        assertTrue(answers.size() + " datagrams for " + bytes + " bytes: as few as fit",
                answers.size() <= bytes / 8966 + 2);
        TestBrowser.Received first = answers.get(0);
        assertTrue("SRV, TXT, A and NSEC as additionals", first.records(Section.ADDITIONAL).stream()
                .map(Record::getType).toList().containsAll(List.of(Type.SRV, Type.TXT, Type.A, Type.NSEC)));

        // Half of them known (with more than half their lifetime left): only the other half come.
        browser.clear();
        List<Record> known = new ArrayList<>();
        for (int i = 0; i < count / 2; i++) {
            known.add(new PTRRecord(TestBrowser.TYPE, DClass.IN, 4000,
                    MdnsNames.instance(String.format("browse-device-%04d", i))));
        }
        browser.send(TestBrowser.query(TestBrowser.TYPE, Type.PTR, known.toArray(Record[]::new)));
        Set<String> rest = awaitAnsweredPointers(count / 2);
        assertTrue(rest.stream().allMatch(n -> Integer.parseInt(n.substring("browse-device-".length())) >= count / 2));
    }

    private Set<String> awaitAnsweredPointers(int expected) {
        Set<String> names = new HashSet<>();
        Await.until(() -> "PTR answers for " + expected + "; have " + names.size(), WAIT, () -> {
            names.clear();
            for (TestBrowser.Received datagram : browser.received(d -> d.isAnswer())) {
                datagram.records(Section.ANSWER).stream().filter(r -> r instanceof PTRRecord)
                        .forEach(r -> names.add(MdnsNames.firstLabel(((PTRRecord) r).getTarget())));
            }
            return names.size() >= expected;
        });
        return names;
    }

    @Test
    public void answersSrvTxtAAndAnyQuestions() throws Exception {
        Responder responder = responder();
        responder.advertise("asked", 40010, TXT);
        browser.awaitAnnounced(WAIT, "asked");
        browser.clear();

        browser.send(TestBrowser.query(MdnsNames.instance("asked"), Type.SRV));
        Await.until("SRV answered with the A beside it", WAIT, () -> answered(Type.SRV, Type.A));
        browser.clear();
        browser.send(TestBrowser.query(MdnsNames.instance("asked"), Type.TXT));
        Await.until("TXT answered", WAIT, () -> answered(Type.TXT));
        browser.clear();
        browser.send(TestBrowser.query(MdnsNames.host("asked"), Type.A));
        Await.until("A answered", WAIT, () -> answered(Type.A));
        browser.clear();
        browser.send(TestBrowser.query(MdnsNames.instance("asked"), Type.ANY));
        Await.until("ANY answered with SRV and TXT", WAIT, () -> answered(Type.SRV) && answered(Type.TXT));
    }

    private boolean answered(int answerType, int... additionalTypes) {
        for (TestBrowser.Received datagram : browser.received(d -> d.isResponse())) {
            if (datagram.records(Section.ANSWER).stream().anyMatch(r -> r.getType() == answerType)) {
                List<Integer> additionals = datagram.records(Section.ADDITIONAL).stream().map(Record::getType).toList();
                return java.util.Arrays.stream(additionalTypes).allMatch(additionals::contains);
            }
        }
        return false;
    }

    @Test
    public void aLegacyUnicastQuestionIsAnsweredToItsSenderWithItsIdAndQuestion() throws Exception {
        Responder responder = responder();
        responder.advertise("legacy", 40011, TXT);
        browser.awaitAnnounced(WAIT, "legacy");
        try (DatagramChannel client = DatagramChannel.open()) {
            client.bind(new InetSocketAddress("127.0.0.1", 0));
            Message query = TestBrowser.query(MdnsNames.instance("legacy"), Type.SRV);
            query.getHeader().setID(4711);
            client.send(ByteBuffer.wrap(query.toWire()), MdnsSocket.GROUP);
            client.socket().setSoTimeout(5000);
            ByteBuffer buffer = ByteBuffer.allocate(9000);
            client.receive(buffer);
            buffer.flip();
            Message answer = new Message(buffer);
            assertEquals(4711, answer.getHeader().getID());
            assertTrue(answer.getHeader().getFlag(Flags.QR));
            assertEquals(MdnsNames.instance("legacy"), answer.getQuestion().getName());
            assertEquals(40011, ((SRVRecord) answer.getSection(Section.ANSWER).get(0)).getPort());
        }
    }

    @Test
    public void aNameSomeoneAnswersForWhileItIsProbedIsRenamed() throws Exception {
        Responder other = responder();
        other.advertise("taken", 40020, TXT);
        browser.awaitAnnounced(WAIT, "taken");

        Registration ours = responder().advertise("taken", 40021, TXT);

        Await.until("ours renamed and announced", WAIT, () -> browser.resolved("taken (2)", 40021));
        assertEquals("taken (2)", ours.name());
        assertEquals("taken", ours.requestedName());
        assertEquals("the other keeps its name and port", 40020, browser.service("taken").port());
        assertEquals(MdnsNames.host("taken (2)"), browser.service("taken (2)").target());
    }

    @Test
    public void ownProbesComingBackAreNotDefendedAgainst() throws Exception {
        Responder responder = responder();

        responder.advertise("echoed", 40030, TXT);

        // The third probe goes out together with the first announcement; were its echo read as a
        // probe from someone else, the responder would defend the name with an answer (NSEC beside
        // it) long before its third announcement.
        browser.awaitAnnounced(WAIT, "echoed");
        assertTrue("no answer: nobody asked", browser.received(d -> d.isResponse()).stream()
                .noneMatch(d -> d.records(Section.ADDITIONAL).stream().anyMatch(r -> r.getType() == Type.NSEC)));
    }

    @Test
    public void aProbeFromElsewhereIsAnsweredAtOnceForTheProposedNameOnly() throws Exception {
        Responder responder = responder();
        responder.advertise("defended", 40032, TXT);
        responder.advertise("bystander", 40033, TXT);
        browser.awaitAnnounced(WAIT, "defended", "bystander");
        browser.clear();

        Message probe = TestBrowser.query(TestBrowser.TYPE, Type.PTR);
        probe.addRecord(known("defended"), Section.AUTHORITY);
        long sent = System.nanoTime();
        browser.send(probe);

        Await.until("the defence", WAIT, () -> answeredPointer("defended"));
        TestBrowser.Received defence = browser.received(d -> d.isAnswer()).get(0);
        assertTrue("at once, not after the one-second rule: " + (defence.nanos() - sent) / 1_000_000 + " ms",
                defence.nanos() - sent < TimeUnit.MILLISECONDS.toNanos(900));
        // A question answered after the one-second rule goes out with anything else that waited for it.
        browser.send(TestBrowser.query(MdnsNames.instance("defended"), Type.SRV));
        Await.until("the later answer", WAIT, () -> answeredSrv("defended"));
        assertFalse("the probe's browse question is not answered", answeredPointer("bystander"));
    }

    private boolean answeredPointer(String name) {
        return browser.received(d -> d.isAnswer()).stream().anyMatch(d -> d.records(Section.ANSWER).stream()
                .anyMatch(r -> r instanceof PTRRecord p && MdnsNames.firstLabel(p.getTarget()).equals(name)));
    }

    @Test
    public void aTruncatedQueryWaitsForTheRestOfItsKnownAnswers() throws Exception {
        Responder responder = responder();
        for (String name : List.of("tc-a", "tc-b", "tc-c", "tc-d")) {
            responder.advertise(name, 40040, TXT);
        }
        browser.awaitAnnounced(WAIT, "tc-a", "tc-b", "tc-c", "tc-d");
        browser.clear();

        Message first = TestBrowser.query(TestBrowser.TYPE, Type.PTR, known("tc-a"), known("tc-b"));
        first.getHeader().setFlag(Flags.TC);
        browser.send(first);
        Message rest = new Message(0);
        rest.addRecord(known("tc-c"), Section.ANSWER);
        browser.send(rest);

        Set<String> answered = awaitAnsweredPointers(1);
        assertEquals(Set.of("tc-d"), answered);
    }

    private static Record known(String name) {
        return new PTRRecord(TestBrowser.TYPE, DClass.IN, 4500, MdnsNames.instance(name));
    }

    @Test
    public void dropSaysNothingAndStopsAnswering() throws Exception {
        Responder responder = responder();
        Registration dropped = responder.advertise("dropped", 40050, TXT);
        responder.advertise("kept", 40051, TXT);
        browser.awaitAnnounced(WAIT, "dropped", "kept");
        browser.clear();

        responder.drop(dropped);
        Message query = TestBrowser.query(MdnsNames.instance("dropped"), Type.SRV);
        query.addRecord(Record.newRecord(MdnsNames.instance("kept"), Type.SRV, DClass.IN), Section.QUESTION);
        browser.send(query);

        // Both questions are answered in one go: once 'kept' is, 'dropped' would have been too.
        Await.until("'kept' answered", WAIT, () -> answeredSrv("kept"));
        assertFalse(answeredSrv("dropped"));
        assertTrue("no goodbye", browser.goodbyes().isEmpty());
    }

    private boolean answeredSrv(String name) {
        return browser.received(d -> d.isAnswer()).stream().anyMatch(d -> d.records(Section.ANSWER).stream()
                .anyMatch(r -> r instanceof SRVRecord && MdnsNames.firstLabel(r.getName()).equals(name)));
    }

    @Test
    public void aGoodbyeRepeatsEveryRecordWithTtlZeroThreeTimes() throws Exception {
        Responder responder = responder();
        Registration leaving = responder.advertise("leaving", 40060, TXT);
        browser.awaitAnnounced(WAIT, "leaving");

        responder.goodbye(leaving).get(5, TimeUnit.SECONDS);

        Await.until("three goodbyes", WAIT, () -> goodbyeDatagrams("leaving").size() == 3);
        assertEquals(List.of("leaving"), browser.goodbyes());
        List<Record> records = goodbyeDatagrams("leaving").get(0).records(Section.ANSWER);
        assertEquals(List.of(Type.PTR, Type.SRV, Type.TXT, Type.A), records.stream().map(Record::getType).toList());
        assertTrue(records.stream().allMatch(r -> r.getTTL() == 0));
    }

    private List<TestBrowser.Received> goodbyeDatagrams(String name) {
        return browser.received(d -> d.isResponse() && d.records(Section.ANSWER).stream()
                .anyMatch(r -> r instanceof SRVRecord && r.getTTL() == 0 && MdnsNames.firstLabel(r.getName()).equals(name)));
    }

    @Test
    public void closingWithoutGoodbyesSendsNothingAndEndsItsThreads() throws Exception {
        Responder responder = Responder.open(Loopback.address(), RecordLifetimes.PYTHON_ZEROCONF, 0, "test-mdns");
        responder.advertise("silent", 40070, TXT);
        browser.awaitAnnounced(WAIT, "silent");
        browser.clear();

        long started = System.nanoTime();
        responder.close(false, Duration.ofSeconds(2));

        assertTrue(responder.threadsEnded());
        assertTrue("closed in " + (System.nanoTime() - started) / 1_000_000 + " ms",
                System.nanoTime() - started < TimeUnit.SECONDS.toNanos(2));
        // A marker from another responder: whatever the closed one had sent would have come first.
        Responder marker = responder();
        marker.advertise("marker", 40071, TXT);
        Await.until("the marker", WAIT, () -> browser.resolved("marker", 40071));
        assertTrue(browser.goodbyes().isEmpty());
        assertNull(browser.received(d -> d.isResponse() && !d.announces("marker")).stream().findFirst().orElse(null));
    }

    @Test
    public void closingWithGoodbyesSaysGoodbyeForEveryServiceTogether() throws Exception {
        Responder responder = Responder.open(Loopback.address(), RecordLifetimes.PYTHON_ZEROCONF, 0, "test-mdns");
        String[] names = new String[50];
        for (int i = 0; i < 50; i++) {
            names[i] = "bye-" + i;
            responder.advertise(names[i], 40100 + i, TXT);
        }
        browser.awaitAnnounced(WAIT, names);
        browser.clear();

        responder.close(true, Duration.ofSeconds(3));

        assertTrue(responder.threadsEnded());
        Await.until(() -> "50 goodbyes, have " + browser.goodbyes().size(), WAIT, () -> browser.goodbyes().size() == 50);
        // close() returns once the third is sent; the browser's thread may read it a moment later
        java.util.function.LongSupplier goodbyeDatagrams = () -> browser.received(d -> d.isResponse()
                && d.records(Section.ANSWER).stream().allMatch(r -> r.getTTL() == 0)).size();
        Await.until(() -> "3 goodbye datagrams, have " + goodbyeDatagrams.getAsLong(), WAIT,
                () -> goodbyeDatagrams.getAsLong() >= 3);
        assertEquals("50 goodbyes in one datagram, sent three times", 3, goodbyeDatagrams.getAsLong());
    }

    @Test
    public void aLabelLongerThanDnsAllowsGoesOutAsACorruptDatagram() throws Exception {
        Responder responder = responder();
        Registration corrupt = responder.advertise("X".repeat(200), 40080, TXT);

        Await.until("three corrupt datagrams", WAIT,
                () -> browser.received(d -> d.message() == null && d.sender().getPort() == 5353).size() == 3);
        responder.goodbye(corrupt).get(5, TimeUnit.SECONDS);
        Await.until("and three corrupt goodbyes", WAIT,
                () -> browser.received(d -> d.message() == null && d.sender().getPort() == 5353).size() == 6);
    }
}
