package io.wasmiot.gateway.store.internal;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jdbc.DataSourceFactory;

import io.wasmiot.gateway.api.cluster.DeviceLeases;
import io.wasmiot.gateway.api.cluster.LeaseRound;
import io.wasmiot.gateway.api.store.DeviceStore;

/**
 * The store on the embedded H2: enabled by {@link StoreDatabaseSelector} when the JDBC URL is
 * {@code jdbc:h2:}. An embedded database serves one gateway, which owns every device: its
 * {@link DeviceLeases} are that (no lease rows, no liveness), so a single gateway needs nothing of
 * the cluster bundle, whose lease rounds serve gateways sharing a PostgreSQL database.
 */
@Component(service = {DeviceStore.class, DeviceLeases.class}, configurationPid = StoreConfig.PID, enabled = false)
public class H2DeviceStore extends JdbcDeviceStore implements DeviceLeases {
    @Activate
    public H2DeviceStore(StoreConfig config, Map<String, Object> properties, BundleContext context,
                         @Reference(name = "dataSourceFactory", target = Dialect.H2_FACTORY) DataSourceFactory driver) {
        super(Dialect.H2, config, properties, context, driver);
    }

    @Deactivate
    @Override
    void close() {
        super.close();
    }

    /** The only gateway on this database owns every stored device. */
    @Override
    public LeaseRound renew(Duration leaseTime) {
        if (leaseTime.isNegative()) {
            throw new IllegalArgumentException("negative lease time: " + leaseTime);
        }
        Set<String> stored = storedIds();
        return new LeaseRound(stored, stored, 1);
    }

    /** Nobody to hand over to. */
    @Override
    public void releaseAll() {
    }

    @Override
    public String gatewayId() {
        return super.gatewayId();
    }
}
