package io.wasmiot.gateway.core.internal;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import io.wasmiot.gateway.api.model.Sighting;
import io.wasmiot.gateway.api.source.CapacityExceededException;
import io.wasmiot.gateway.api.source.DiscoverySource;
import io.wasmiot.gateway.api.source.DiscoverySourceActivity;
import io.wasmiot.gateway.api.source.SessionActivity;

/**
 * The discovery sources' way in: every bound {@link DiscoverySource} is opened with a session of its
 * own ({@link DiscoverySources}); its sightings and goodbyes go to {@link Sightings}, which starts
 * introductions ({@link Introducer}). Swapped on its own, it closes the sessions, and the new one's
 * sessions replay what the sources know (the SPI's contract); introductions in flight finish on the
 * book's threads, and the devices stay listed.
 */
@Component(service = {SourceIntake.class, DiscoverySourceActivity.class}, immediate = true)
public class SourceIntake implements DiscoverySourceActivity {
    private final DeviceBook book;
    private final Sightings sightings;
    private final DiscoverySources sources;
    private final Consumer<String> forgotten;

    @Activate
    public SourceIntake(@Reference DeviceBook book) {
        this.book = book;
        Introducer introducer = new Introducer(book.registry(), book.prober(), book.checker(), book.writer(),
                book.events(), book.metrics(), book.threads(), book::settings);
        this.sightings = new Sightings(book.registry(), introducer, book.threads(), book::settings);
        this.sources = new DiscoverySources(sightings::sighted, sightings::goodbye);
        this.forgotten = sources::forgotten;
        book.addForgottenListener(forgotten);
    }

    @Deactivate
    void deactivate() {
        book.removeForgottenListener(forgotten);
        sources.closeAll();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addSource(DiscoverySource source, Map<String, Object> properties) {
        sources.add(source, properties.get(Constants.SERVICE_BUNDLEID) instanceof Long bundleId ? bundleId : -1,
                Boolean.TRUE.equals(properties.get(DiscoverySource.PUSH_PROPERTY)));
    }

    void removeSource(DiscoverySource source) {
        sources.remove(source);
    }

    /** What a source's session reports. @throws CapacityExceededException a new device when the gateway is full */
    void sighted(Sighting sighting) {
        sightings.sighted(sighting);
    }

    /** What a source's session reports: {@code reason} is its own words ("mDNS goodbye"). */
    void goodbye(String name, String reason) {
        sightings.goodbye(name, reason);
    }

    @Override
    public List<SessionActivity> openSessions() {
        return sources.activity();
    }

    /** How many sources are open. */
    int size() {
        return sources.size();
    }

    /** Every open source looks again (an operator's rescan). */
    void requery() {
        sources.requery();
    }

    /** Every open source forgets what it reported (the devices were wiped): it reports them afresh. */
    void forgetSightings() {
        sources.forgetSightings();
    }
}
