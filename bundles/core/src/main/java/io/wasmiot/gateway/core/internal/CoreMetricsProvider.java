package io.wasmiot.gateway.core.internal;

import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.wasmiot.gateway.api.metrics.MetricSample;
import io.wasmiot.gateway.api.metrics.MetricsProvider;

/** The core's figures in {@code GET /metrics} and for the health checks: the book's counters and devices, the last lease round. */
@Component(service = MetricsProvider.class)
public class CoreMetricsProvider implements MetricsProvider {
    private final DeviceBook book;
    private volatile LeaseReconciler leases;

    @Activate
    public CoreMetricsProvider(@Reference DeviceBook book) {
        this.book = book;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setLeases(LeaseReconciler reconciler) {
        this.leases = reconciler;
    }

    void unsetLeases(LeaseReconciler reconciler) {
        if (this.leases == reconciler) {
            this.leases = null;
        }
    }

    @Override
    public List<MetricSample> metrics() {
        LeaseReconciler reconciler = leases;
        return book.metrics().samples(book.registry().entries(), book.settings().config(),
                reconciler == null ? null : reconciler.lastRound(), book.writer());
    }
}
