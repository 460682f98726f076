package io.wasmiot.gateway.store.internal;

import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jdbc.DataSourceFactory;

import io.wasmiot.gateway.api.store.DeviceStore;

/**
 * The store on PostgreSQL (one database shared by several gateways): enabled by
 * {@link StoreDatabaseSelector} when the JDBC URL is {@code jdbc:postgresql:}. The leases and the
 * event relay between the gateways are the cluster bundle's, on the pool published here as a
 * {@code DataSource} service ({@code (dialect=postgresql)}).
 */
@Component(service = DeviceStore.class, configurationPid = StoreConfig.PID, enabled = false)
public class PostgresDeviceStore extends JdbcDeviceStore {
    @Activate
    public PostgresDeviceStore(StoreConfig config, Map<String, Object> properties, BundleContext context,
                               @Reference(name = "dataSourceFactory", target = Dialect.POSTGRESQL_FACTORY)
                               DataSourceFactory driver) {
        super(Dialect.POSTGRESQL, config, properties, context, driver);
    }

    @Deactivate
    @Override
    void close() {
        super.close();
    }
}
