package io.wasmiot.gateway.cluster.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.wasmiot.gateway.api.cluster.DeviceLeases;
import io.wasmiot.gateway.api.cluster.LeaseRound;
import io.wasmiot.gateway.api.store.StoreException;
import io.wasmiot.lib.jdbc.Transactions;
import io.wasmiot.lib.jdbc.Transactions.SqlWork;

/**
 * {@link DeviceLeases} of gateways sharing one PostgreSQL database ({@link LeaseRounds}), each call
 * one transaction on the store's pool (its {@code DataSource} service on PostgreSQL), as this
 * gateway's id the pool's {@code gatewayId} property. Disabled by default: {@link ClusterSwitch}
 * enables it when such a pool is published, so on the embedded H2 (whose store owns every device
 * itself) it is neither active nor unsatisfied.
 */
@Component(service = DeviceLeases.class, enabled = false, configurationPolicy = ConfigurationPolicy.IGNORE)
public class ClusterLeases implements DeviceLeases {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterLeases.class);

    private final DataSource pool;
    private final String gatewayId;
    private final LeaseRounds leases;
    /** Owned count of the last lease round, -1 before the first: a change is logged at INFO. */
    private final AtomicInteger lastOwned = new AtomicInteger(-1);

    @Activate
    public ClusterLeases(@Reference(name = "storePool", service = DataSource.class, target = StoreDataSource.POSTGRESQL)
                         Map.Entry<Map<String, Object>, DataSource> pool) {
        this(pool.getValue(), StoreDataSource.gatewayId(pool.getKey()), true);
    }

    ClusterLeases(DataSource pool, String gatewayId, boolean postgres) {
        this.pool = pool;
        this.gatewayId = gatewayId;
        this.leases = new LeaseRounds(postgres, gatewayId);
    }

    @Override
    public String gatewayId() {
        return gatewayId;
    }

    @Override
    public LeaseRound renew(Duration leaseTime) {
        if (leaseTime.isNegative()) {
            throw new IllegalArgumentException("negative lease time: " + leaseTime);
        }
        LeaseRound round = inTransaction(connection -> leases.renew(connection, leaseTime.toMillis()));
        int owned = round.ownedIds().size();
        int before = lastOwned.getAndSet(owned);
        if (before != owned) {
            LOG.info("Leases: gateway {} now checks {} of {} devices (live gateways: {}; was {})", gatewayId, owned,
                    round.storedIds().size(), round.liveGateways(), before < 0 ? "none" : before);
        } else {
            LOG.debug("Leases: gateway {} renewed {} of {} devices (live gateways: {})", gatewayId, owned,
                    round.storedIds().size(), round.liveGateways());
        }
        return round;
    }

    @Override
    public void releaseAll() {
        inTransaction(connection -> {
            leases.releaseAll(connection);
            return null;
        });
        lastOwned.set(-1);
        LOG.info("Leases: gateway {} released all its devices", gatewayId);
    }

    private <T> T inTransaction(SqlWork<T> work) {
        return Transactions.inTransaction(pool, work, e -> new StoreException("device leases: " + e.getMessage(), e));
    }
}
