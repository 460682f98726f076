package io.wasmiot.gateway.core.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.model.Sighting;
import io.wasmiot.gateway.api.source.DiscoverySource;
import io.wasmiot.gateway.api.source.SessionActivity;
import io.wasmiot.gateway.api.source.SourceSession;

/**
 * The discovery sources the core listens to: each bound source is opened with a session of its own
 * and closed with it when the source goes or the core stops (the {@link DiscoverySource} contract).
 * The core's questions to the sources (rescan, wipe, forgotten) go to every open one. Each session
 * counts what came through it ({@link #activity}).
 */
final class DiscoverySources {
    private static final Logger LOG = LoggerFactory.getLogger(DiscoverySources.class);

    private final Consumer<Sighting> sightings;
    private final BiConsumer<String, String> goodbyes;
    private final Map<DiscoverySource, Session> sessions = new ConcurrentHashMap<>();
    private boolean closed;

    /**
     * @param sightings where a session's sightings go (the core's {@code sighted})
     * @param goodbyes where a session's goodbyes go: name and reason
     */
    DiscoverySources(Consumer<Sighting> sightings, BiConsumer<String, String> goodbyes) {
        this.sightings = sightings;
        this.goodbyes = goodbyes;
    }

    /**
     * A source that {@code bundleId} registered was bound ({@code push}: a push source, with nothing to
     * replay): opens it, unless its id is not one or the core stopped.
     */
    void add(DiscoverySource source, long bundleId, boolean push) {
        String id = source.id();
        if (id == null || !DiscoverySource.ID_PATTERN.matcher(id).matches()) {
            LOG.warn("Discovery source {} ({}) not opened: its id is not 1-{} lowercase letters, digits or dashes",
                    id, source.getClass().getName(), DiscoverySource.MAX_ID_LENGTH);
            return;
        }
        Session session = new Session(id, bundleId, push);
        synchronized (this) {
            if (closed) {
                return;
            }
            sessions.put(source, session);
        }
        LOG.info("Discovery source {} opened", id);
        try {
            source.open(session);
        } catch (RuntimeException e) {
            LOG.warn("Discovery source {} failed to open: {}", id, e.toString());
        }
    }

    /** A source was unbound: closes its session. */
    void remove(DiscoverySource source) {
        Session session = sessions.remove(source);
        if (session != null) {
            close(source, session);
        }
    }

    /** The core stops: every source is closed and none opened any more. */
    void closeAll() {
        synchronized (this) {
            closed = true;
        }
        for (DiscoverySource source : List.copyOf(sessions.keySet())) {
            remove(source);
        }
    }

    private static void close(DiscoverySource source, Session session) {
        session.open = false;
        LOG.info("Discovery source {} closed", session.id);
        try {
            source.close(session);
        } catch (RuntimeException e) {
            LOG.warn("Discovery source {} failed to close: {}", session.id, e.toString());
        }
    }

    int size() {
        return sessions.size();
    }

    /** What each open session heard so far. */
    List<SessionActivity> activity() {
        return sessions.values().stream().map(Session::activity).toList();
    }

    void requery() {
        each(DiscoverySource::requery);
    }

    void forgetSightings() {
        each(DiscoverySource::forgetSightings);
    }

    void forgotten(String name) {
        each(source -> source.forgotten(name));
    }

    private void each(Consumer<DiscoverySource> call) {
        for (Map.Entry<DiscoverySource, Session> open : sessions.entrySet()) {
            try {
                call.accept(open.getKey());
            } catch (RuntimeException e) {
                LOG.warn("Discovery source {} failed: {}", open.getValue().id, e.toString());
            }
        }
    }

    private final class Session implements SourceSession {
        private final String id;
        private final long bundleId;
        private final boolean push;
        private final Instant openedAt = Instant.now();
        private final LongAdder sighted = new LongAdder();
        private final LongAdder saidGoodbye = new LongAdder();
        private volatile boolean open = true;

        Session(String id, long bundleId, boolean push) {
            this.id = id;
            this.bundleId = bundleId;
            this.push = push;
        }

        SessionActivity activity() {
            return new SessionActivity(id, bundleId, push, openedAt, sighted.sum(), saidGoodbye.sum());
        }

        @Override
        public String sourceId() {
            return id;
        }

        @Override
        public void sighted(String name, Communication communication) {
            checkOpen();
            sighted.increment();
            sightings.accept(new Sighting(name, communication, id, Instant.now()));
        }

        @Override
        public void goodbye(String name, String reason) {
            checkOpen();
            saidGoodbye.increment();
            goodbyes.accept(name, reason == null || reason.isBlank() ? id + " goodbye" : reason);
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        private void checkOpen() {
            if (!open) {
                throw new IllegalStateException("discovery source " + id + " is closed");
            }
        }

        @Override
        public String toString() {
            return "session of discovery source " + id + (open ? "" : " (closed)");
        }
    }
}
