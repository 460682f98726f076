package io.wasmiot.gateway.store.internal;

import javax.sql.DataSource;

import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import io.wasmiot.gateway.api.store.DeviceStore;

/**
 * Publishes the active store component's pool as a {@link DataSource} service (properties:
 * {@link JdbcDeviceStore#publish}) once that component is up, and withdraws it when the component's
 * services go, before its pool closes. A component of its own, not a registration in the store's
 * constructor: there, the pool's service made the cluster bundle's leases available, which let the
 * core activate and ask for the store still being constructed (SCR refused it: "Unable to get
 * service", and the core stayed down after an update of the store).
 */
// The published pool, for the resolver (-resolve.effective: active): the cluster bundle requires it.
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=javax.sql.DataSource",
        uses = DataSource.class)
@Component(service = {}, immediate = true, configurationPolicy = ConfigurationPolicy.IGNORE)
public class StorePoolPublisher {
    /** This bundle's store components: their service objects are {@link JdbcDeviceStore}s. */
    static final String OUR_STORES = "(component.name=io.wasmiot.gateway.store.internal.*)";

    private final ServiceRegistration<DataSource> registration;

    @Activate
    public StorePoolPublisher(BundleContext context, @Reference(target = OUR_STORES) DeviceStore store) {
        this.registration = ((JdbcDeviceStore) store).publish(context);
    }

    @Deactivate
    void withdraw() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping: the framework unregistered it
        }
    }
}
