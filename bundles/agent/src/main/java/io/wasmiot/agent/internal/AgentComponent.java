package io.wasmiot.agent.internal;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This host as one WasmIoT device, on the same engine as the simulator: advertises it, serves its
 * description and health, registers it with the gateway when told where that is. A configuration
 * change restarts it (goodbye, then up again with the new settings); deactivation says goodbye
 * and closes everything within {@link FleetSettings#closeTimeout()}.
 */
@Component(configurationPid = AgentConfig.PID, immediate = true)
@Designate(ocd = AgentConfig.class)
public class AgentComponent {
    private static final Logger LOG = LoggerFactory.getLogger(AgentComponent.class);
    private static final long START_TIMEOUT_SECONDS = 15;

    private final DeviceFleet fleet;

    /** The properties are read raw (not through {@link AgentConfig}) to tell an unset key from its default. */
    @Activate
    public AgentComponent(Map<String, Object> properties) throws Exception {
        this(AgentSettings.resolve(properties, System::getenv, AgentSettings::localHostName), FleetSettings.builder());
    }

    AgentComponent(AgentSettings settings, FleetSettings.Builder fleetSettings) throws Exception {
        // One device: one event loop thread and a couple of lifecycle threads are plenty. A real
        // device answers on every interface.
        fleet = new DeviceFleet(fleetSettings
                .advertisedAddress(settings.mdnsAddress())
                .listenOnAllInterfaces(true)
                .eventLoopThreads(1)
                .lifecycleThreads(2)
                .build(), FleetListener.NONE);
        try {
            Device device = fleet.start(settings.deviceSettings()).get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            LOG.info("Device agent up: {} on port {}, advertising {}{}", device.name(), device.port(),
                    fleet.advertisedAddress(), settings.orchestratorUrl() == null ? ""
                            : ", registering with " + settings.orchestratorUrl());
        } catch (ExecutionException e) {
            fleet.close();
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException | InterruptedException | RuntimeException e) {
            fleet.close();
            throw e;
        }
    }

    /** The device, for tests. */
    Device device() {
        return fleet.devices().iterator().next();
    }

    @Deactivate
    void deactivate() {
        fleet.close();
        LOG.info("Device agent stopped");
    }

}
