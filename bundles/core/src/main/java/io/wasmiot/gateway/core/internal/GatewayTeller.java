package io.wasmiot.gateway.core.internal;

import java.time.Instant;
import java.util.function.Supplier;

import org.slf4j.Logger;

import io.wasmiot.gateway.api.DeviceProber;
import io.wasmiot.gateway.api.model.ProbeResult;

/** Tells devices where this gateway is (its public URL), when they need to hear it. */
final class GatewayTeller {
    private static final Logger LOG = CoreLog.LOG;

    private final ProberSlot prober;
    private final Supplier<CoreSettings> settings;

    GatewayTeller(ProberSlot prober, Supplier<CoreSettings> settings) {
        this.prober = prober;
        this.settings = settings;
    }

    /**
     * Tells the device this gateway's URL when it says no gateway set it ({@code Custom-Orchestrator-Set}
     * not true) or when this gateway has just taken it over from another (it knows that one's URL), at
     * most once per health interval; call with the entry's monitor held.
     */
    void maybeTell(DeviceEntry entry, ProbeResult result, Instant now) {
        boolean takenOver = entry.mustTellGateway;
        CoreSettings current = settings.get();
        if ((result.orchestratorSet() && !takenOver)
                || entry.lastToldGateway.plusSeconds(current.config().healthInterval()).isAfter(now)) {
            return;
        }
        DeviceProber asked = prober.current();
        if (asked == null) {
            return;
        }
        entry.lastToldGateway = now;
        String url = current.publicBaseUrl();
        asked.tellGateway(entry.device.communication(), result.address(), url).whenComplete((told, error) -> {
            if (told != null && told.succeeded()) {
                if (takenOver) {
                    synchronized (entry) {
                        entry.mustTellGateway = false;
                    }
                    LOG.info("Device {}: told it the gateway is at {} (taken over from another gateway)",
                            entry.label(), url);
                } else {
                    LOG.info("Device {}: told it the gateway is at {}", entry.name, url);
                }
            } else {
                LOG.info("Device {}: could not tell it the gateway's URL: {}", entry.name,
                        told != null ? told.failure() : error);
            }
        });
    }
}
