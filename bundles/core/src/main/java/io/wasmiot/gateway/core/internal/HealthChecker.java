package io.wasmiot.gateway.core.internal;

import java.time.Instant;
import java.util.function.Supplier;

import org.slf4j.Logger;

import io.wasmiot.gateway.api.DeviceProber;
import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.model.Health;
import io.wasmiot.gateway.api.model.ProbeResult;

/**
 * Checks devices' health (docs/contract.md §4): each check's result is taken at once (counters, health),
 * while the status decisions on failures wait until every check of the sweep is in (the brake).
 */
final class HealthChecker {
    private static final Logger LOG = CoreLog.LOG;

    private final DeviceRegistry registry;
    private final ProberSlot prober;
    private final GatewayTeller teller;
    private final CoreMetrics metrics;
    private final CoreThreads threads;
    private final Supplier<CoreSettings> settings;

    HealthChecker(DeviceRegistry registry, ProberSlot prober, GatewayTeller teller, CoreMetrics metrics,
                  CoreThreads threads, Supplier<CoreSettings> settings) {
        this.registry = registry;
        this.prober = prober;
        this.teller = teller;
        this.metrics = metrics;
        this.threads = threads;
        this.settings = settings;
    }

    /** The check that ends an introduction, a tally of its own; call with the entry's monitor held. */
    void checkIntroduced(DeviceEntry entry) {
        check(entry, new SweepTally(1, this::sweepDone), true);
    }

    /**
     * Starts one health check; call with the entry's monitor held.
     * @return false when there is no prober for now (the device is checked at the next sweep)
     */
    boolean check(DeviceEntry entry, SweepTally tally, boolean introduction) {
        DeviceProber current = prober.current();
        if (current == null) {
            entry.checkInFlight = false;
            return false;
        }
        entry.checkInFlight = true;
        int epoch = entry.epoch;
        Instant queried = Instant.now();
        metrics.healthChecked();
        current.checkHealth(entry.device.communication(), settings.get().forwardedFor()).whenCompleteAsync(
                (result, error) -> checked(entry, epoch, queried, tally, introduction, result, error), threads.work());
        return true;
    }

    /** @param introduction the check that ends an introduction: whoever introduces checks, owner or not */
    private void checked(DeviceEntry entry, int epoch, Instant queried, SweepTally tally, boolean introduction,
                         ProbeResult result, Throwable error) {
        boolean counted = false;
        boolean failed = false;
        boolean unreachable = false;
        synchronized (entry) {
            entry.checkInFlight = false;
            String failure = error != null ? error.toString() : result.failure();
            if (entry.epoch == epoch && entry.phase == Phase.LISTED && (entry.owned || introduction)
                    && !threads.stopped() && !ProberSlot.PROBER_STOPPED.equals(failure)) {
                metrics.healthCheckTook(result == null ? 0 : result.elapsed().toNanos() / 1000);
                HealthRules rules = settings.get().rules();
                Instant now = Instant.now();
                Device before = entry.device;
                Device after;
                if (failure == null) {
                    after = rules.succeeded(before, new Health(result.body(), queried), result.address(),
                            result.failedAddresses(), now);
                    if (introduction) {
                        after = rules.introducedAndAnswered(after, now);
                    } else {
                        // Not during an introduction: in a burst, listing every device comes first;
                        // the device hears from its gateway at its first sweep check.
                        teller.maybeTell(entry, result, now);
                    }
                } else {
                    metrics.healthCheckFailed();
                    after = rules.failed(before, new Health(null, queried));
                    LOG.debug("Device {}: health check failed ({} in a row): {}", entry.label(),
                            after.failedHealthCheckCount(), failure);
                    entry.lastFailure = failure;
                    failed = true;
                    unreachable = result != null && result.unreachable();
                }
                registry.update(entry, after, introduction);
                counted = true;
            }
        }
        if (!counted) {
            tally.skipped();
        } else if (failed) {
            tally.failed(entry, unreachable);
        } else {
            tally.succeeded();
        }
    }

    /** Every check of a tally is in: unless the brake holds, failures turn devices inactive, and long-inactive ones are forgotten. */
    void sweepDone(SweepTally tally, boolean brake) {
        if (tally.checked() > 1) {
            metrics.sweepTook(tally.elapsedSeconds());
        }
        if (brake) {
            metrics.braked();
            LOG.warn("Brake: {} of {} devices could not be reached in one sweep; the gateway's own network is the "
                    + "likely fault, so nobody is made inactive or forgotten in this sweep", tally.unreachableCount(),
                    tally.checked());
            return;
        }
        Instant now = Instant.now();
        for (DeviceEntry entry : tally.failedEntries()) {
            synchronized (entry) {
                if (entry.phase != Phase.LISTED) {
                    continue;
                }
                CoreSettings current = settings.get();
                registry.update(entry, current.rules().afterFailures(entry.device, entry.lastFailure, now));
                if (current.rules().shouldForget(entry.device, now)) {
                    registry.forget(entry, "inactive for more than " + current.config().forgetAfter() + " s");
                }
            }
        }
    }
}
