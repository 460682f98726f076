package io.wasmiot.gateway.cluster.internal;

import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Turns the cluster on when the store publishes its pool on PostgreSQL (enables the leases and the
 * event relay), and off when it publishes one on the embedded H2 (one gateway, whose store owns
 * every device itself): there they stay disabled rather than unsatisfied, which the web console
 * and the swap tests would count as a fault. This component itself only watches the pools.
 *
 * <p>It disables nothing when a pool goes, nor when it stops itself: the components' static
 * references to the pool stop them then, synchronously. A disable requested there, which SCR
 * carries out asynchronously, raced with that: the relay of a cluster bundle being updated was
 * left running with its connection once (its deactivate never called).
 */
@Component(service = {}, immediate = true, configurationPolicy = ConfigurationPolicy.IGNORE)
public class ClusterSwitch {
    static final List<String> SWITCHED = List.of(ClusterLeases.class.getName(), PgEventRelay.class.getName());

    private ComponentContext component;
    private int postgresPools;

    @Reference(service = DataSource.class, target = "(" + StoreDataSource.DIALECT + "=*)",
            cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    synchronized void addPool(DataSource pool, Map<String, Object> properties) {
        if (postgres(properties)) {
            postgresPools++;
            apply(true);
        } else if (postgresPools == 0) {
            apply(false);
        }
    }

    synchronized void removePool(DataSource pool, Map<String, Object> properties) {
        if (postgres(properties)) {
            postgresPools--;
        }
    }

    @Activate
    synchronized void activate(ComponentContext component) {
        this.component = component;
        if (postgresPools > 0) {
            apply(true);
        }
    }

    @Deactivate
    synchronized void deactivate() {
        component = null;
    }

    private static boolean postgres(Map<String, Object> properties) {
        return "postgresql".equals(properties.get(StoreDataSource.DIALECT));
    }

    private void apply(boolean on) {
        if (component == null) {
            return; // before activation: activate applies the count
        }
        for (String name : SWITCHED) {
            if (on) {
                component.enableComponent(name);
            } else {
                component.disableComponent(name);
            }
        }
    }
}
