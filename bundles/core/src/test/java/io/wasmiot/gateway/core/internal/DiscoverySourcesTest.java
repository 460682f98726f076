package io.wasmiot.gateway.core.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;

import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.model.Sighting;
import io.wasmiot.gateway.api.source.DiscoverySource;
import io.wasmiot.gateway.api.source.SessionActivity;
import io.wasmiot.gateway.api.source.SourceSession;

public class DiscoverySourcesTest {
    private static final Communication PLACE = new Communication(List.of("10.0.0.1"), 5000);

    private final List<Sighting> sightings = new ArrayList<>();
    private final List<String> goodbyes = new ArrayList<>();
    private final DiscoverySources sources = new DiscoverySources(sightings::add,
            (name, reason) -> goodbyes.add(name + ": " + reason));

    private static final class Recorder implements DiscoverySource {
        final String id;
        SourceSession session;
        int opens;
        int closes;
        final List<String> calls = new ArrayList<>();

        Recorder(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public void open(SourceSession newSession) {
            opens++;
            session = newSession;
        }

        @Override
        public void close(SourceSession oldSession) {
            closes++;
            session = null;
        }

        @Override
        public void forgotten(String name) {
            calls.add("forgotten " + name);
        }

        @Override
        public void requery() {
            calls.add("requery");
        }
    }

    @Test
    public void aSessionReportsUnderItsSourcesId() {
        Recorder statics = new Recorder("static");
        sources.add(statics, 7, false);
        assertEquals(1, statics.opens);
        assertEquals("static", statics.session.sourceId());

        statics.session.sighted("plc-1", PLACE);
        statics.session.goodbye("plc-1", "configuration deleted");
        statics.session.goodbye("plc-2", " ");

        assertEquals(1, sightings.size());
        assertEquals("plc-1", sightings.get(0).name());
        assertEquals("static", sightings.get(0).source());
        assertEquals(PLACE, sightings.get(0).communication());
        assertEquals(List.of("plc-1: configuration deleted", "plc-2: static goodbye"), goodbyes);
    }

    @Test
    public void eachSessionCountsWhatCameThroughItAndAReopenedSourceStartsAtZero() {
        Recorder statics = new Recorder("static");
        sources.add(statics, 7, false);
        statics.session.sighted("plc-1", PLACE);
        statics.session.sighted("plc-2", PLACE);
        statics.session.goodbye("plc-1", "configuration deleted");

        SessionActivity first = sources.activity().get(0);
        assertEquals(new SessionActivity("static", 7, false, first.openedAt(), 2, 1), first);

        sources.remove(statics);
        assertEquals(List.of(), sources.activity());
        sources.add(statics, 7, false);
        SessionActivity second = sources.activity().get(0);
        assertEquals(0, second.sightings());
        assertEquals(0, second.goodbyes());
        assertFalse("a new session", second.openedAt().isBefore(first.openedAt()));

        Recorder register = new Recorder("register");
        sources.add(register, 9, true);
        assertTrue("a push source says so", sources.activity().stream()
                .anyMatch(activity -> activity.sourceId().equals("register") && activity.push() && activity.bundleId() == 9));
    }

    @Test
    public void aClosedSessionRefusesReportsSoTheSourceKeepsThemForTheNextOpen() {
        Recorder mdns = new Recorder("mdns");
        sources.add(mdns, 7, false);
        SourceSession first = mdns.session;
        sources.remove(mdns);

        assertEquals(1, mdns.closes);
        assertFalse(first.isOpen());
        assertThrows(IllegalStateException.class, () -> first.sighted("dev", PLACE));
        assertThrows(IllegalStateException.class, () -> first.goodbye("dev", "mDNS goodbye"));
        assertTrue(sightings.isEmpty());
        assertTrue(goodbyes.isEmpty());

        sources.add(mdns, 7, false);
        assertEquals(2, mdns.opens);
        assertTrue(mdns.session.isOpen());
    }

    @Test
    public void everySourceHearsTheCoresQuestionsEvenWhenTwoShareAnId() {
        Recorder rest = new Recorder("register");
        Recorder console = new Recorder("register");
        sources.add(rest, 7, false);
        sources.add(console, 7, false);
        assertEquals(2, sources.size());

        sources.forgotten("dev");
        sources.requery();
        sources.forgetSightings(); // a default method: nothing to do, nothing thrown

        assertEquals(List.of("forgotten dev", "requery"), rest.calls);
        assertEquals(List.of("forgotten dev", "requery"), console.calls);
    }

    @Test
    public void aSourceWithABadIdIsNotOpened() {
        for (String bad : new String[] {null, "", "MDNS", "9lives", "a-very-long-source-id", "with space"}) {
            Recorder source = new Recorder(bad);
            sources.add(source, 7, false);
            assertEquals(bad, 0, source.opens);
        }
        assertEquals(0, sources.size());
    }

    @Test
    public void closeAllClosesEverySourceAndOpensNoMore() {
        Recorder a = new Recorder("a");
        Recorder b = new Recorder("b");
        sources.add(a, 7, false);
        sources.add(b, 7, false);

        sources.closeAll();
        assertEquals(1, a.closes);
        assertEquals(1, b.closes);
        assertNull(a.session);

        Recorder late = new Recorder("late");
        sources.add(late, 7, false);
        assertEquals(0, late.opens);
        sources.forgotten("dev");
        assertTrue(a.calls.isEmpty());
    }
}
