package io.wasmiot.gateway.source.statics.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code wasmiot.gateway.source.static} configuration: validates it and hands the device to the
 * {@link StaticSource}. A configuration that is not a device is refused with a log line and reported
 * nowhere; fixing it reports the device.
 */
@Component(configurationPid = StaticDeviceConfig.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = StaticDeviceConfig.class, factory = true)
public class StaticDeviceConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(StaticDeviceConfiguration.class);

    private final StaticSource source;
    private final String pid;

    @Activate
    public StaticDeviceConfiguration(StaticDeviceConfig config, Map<String, Object> properties,
                                     @Reference StaticSource source) {
        this.source = source;
        this.pid = String.valueOf(properties.get("service.pid"));
        apply(config);
    }

    @Modified
    void modified(StaticDeviceConfig config) {
        apply(config);
    }

    @Deactivate
    void deactivate() {
        source.removed(pid);
    }

    private void apply(StaticDeviceConfig config) {
        StaticDevice device;
        try {
            device = StaticDevice.of(pid, config);
        } catch (IllegalArgumentException e) {
            LOG.warn("Static device configuration {} refused: {}", pid, e.getMessage());
            source.removed(pid); // a device it described before is gone
            return;
        }
        source.configured(device);
    }
}
