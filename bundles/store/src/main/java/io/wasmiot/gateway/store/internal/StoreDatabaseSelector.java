package io.wasmiot.gateway.store.internal;

import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDBC URL picks the driver: enables the store component of the database it names (each
 * references its own driver's DataSourceFactory). The store components are disabled by default, so
 * only one of them ever provides the store. (The cluster bundle turns its leases and event relay on
 * when the store's pool is published on PostgreSQL.)
 *
 * <p>It disables nothing when it stops (no deactivate method; SCR would call one named
 * {@code deactivate} even unannotated): a stopping bundle (an update, a shutdown) has SCR dispose
 * every component of the bundle itself, synchronously, the store's pool closed on the way. A disable
 * requested from this component's deactivation empties the store component's holder at once but
 * leaves its deactivation to a task SCR no longer schedules for a stopping bundle ("not active; not
 * scheduling"). Had SCR reached this component before the store's (it goes in Service-Component
 * order, bnd's by class name: the stores come first today), SCR would never have disposed the
 * store component: the cluster bundle's relay stayed running so once (ClusterSwitch); the store, a
 * delayed service, still loses its instance when the framework withdraws its services, but its
 * never-disposed component kept every replaced store revision reachable (SwapLeakIT failed so with
 * this class renamed to come first and the former deactivate).
 */
@Component(service = {}, configurationPid = StoreConfig.PID)
@Designate(ocd = StoreConfig.class)
public class StoreDatabaseSelector {
    private static final Logger LOG = LoggerFactory.getLogger(StoreDatabaseSelector.class);
    private final ComponentContext component;

    @Activate
    public StoreDatabaseSelector(StoreConfig config, ComponentContext component) {
        this.component = component;
        select(config);
    }

    @Modified
    void modified(StoreConfig config) {
        select(config);
    }

    private void select(StoreConfig config) {
        Dialect dialect;
        try {
            dialect = Dialect.ofUrl(config.jdbcUrl().strip());
        } catch (IllegalArgumentException e) {
            LOG.error("{}: {}; no device store until jdbcUrl is corrected", StoreConfig.PID, e.getMessage());
            disableAll();
            return;
        }
        // the other database's components go first: two stores are never registered at once
        for (Dialect other : Dialect.values()) {
            if (other != dialect) {
                component.disableComponent(storeComponent(other));
            }
        }
        component.enableComponent(storeComponent(dialect));
    }

    private void disableAll() {
        for (Dialect dialect : Dialect.values()) {
            component.disableComponent(storeComponent(dialect));
        }
    }

    private static String storeComponent(Dialect dialect) {
        return (dialect == Dialect.POSTGRESQL ? PostgresDeviceStore.class : H2DeviceStore.class).getName();
    }
}
