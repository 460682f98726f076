package io.wasmiot.gateway.api.store;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

import io.wasmiot.gateway.api.model.Device;

/**
 * Durable device registry: the only place devices live between restarts.
 * Every method is one transaction; implementations are thread safe.
 * Failures surface as {@link StoreException}.
 */
@ProviderType
public interface DeviceStore {

    /**
     * This gateway's id: the one it holds leases and posts device events under (configured, else kept
     * with the data). Gateways sharing one store each have their own.
     *
     * @since 1.1
     */
    String gatewayId();

    /** Every stored device, ordered by name. */
    List<Device> findAll();

    Optional<Device> findById(String id);

    Optional<Device> findByName(String name);

    /** By {@code _id} when {@code key} is one, else by name. */
    default Optional<Device> findByIdOrName(String key) {
        if (Device.isValidId(key)) {
            Optional<Device> byId = findById(key);
            if (byId.isPresent()) {
                return byId;
            }
        }
        return findByName(key);
    }

    /**
     * Saves a device by name: a new name gets a fresh {@code _id}; a known name keeps its {@code _id}
     * and takes every other field from {@code device}. A device that carries an {@code _id} is
     * saved under that {@code _id} (its name may change).
     *
     * @return the device as stored, with its {@code _id}
     */
    Device save(Device device);

    /**
     * Saves each device as {@link #save} does, all in one transaction: introductions that arrive
     * together (a burst of devices) cost one commit, not one each.
     *
     * @return the devices as stored, with their {@code _id}s, in the order given
     */
    List<Device> saveEach(List<Device> devices);

    /**
     * Saves what health checks and operators change of devices that already carry an {@code _id}, in
     * one transaction: addresses (their order), status, counters, status log, health, blacklisted,
     * last seen. Name, port, path, TLS, description and source are {@link #save}'s (an introduction
     * or a move). A device no longer stored is skipped, not re-created (another gateway or a wipe
     * removed it meanwhile).
     *
     * @return the {@code _id}s that were saved
     */
    Set<String> saveAll(Collection<Device> devices);

    /** @return whether a device with that {@code _id} was deleted */
    boolean delete(String id);

    /** Deletes every device. @return how many were deleted */
    int deleteAll();

    int count();
}
