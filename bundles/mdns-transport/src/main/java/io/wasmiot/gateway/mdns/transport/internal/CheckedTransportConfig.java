package io.wasmiot.gateway.mdns.transport.internal;

import java.lang.annotation.Annotation;
import java.util.function.Consumer;

import io.wasmiot.lib.settings.BoundedValues;

/**
 * The mDNS configuration with every value usable: a value out of range goes to the nearest bound,
 * a self name that cannot be advertised to the default, each with a warning. Refusing the
 * configuration instead would leave the gateway without mDNS at all.
 */
record CheckedTransportConfig(String[] interfaces, boolean advertiseSelf, String selfName, int interfaceCheckSeconds,
        int receiveBufferBytes) implements TransportConfig {
    static final String DEFAULT_SELF_NAME = "orchestrator";
    /** An mDNS instance label holds 63 bytes; the gateway may append {@code " (n)"} on a conflict. */
    static final int MAX_SELF_NAME = 50;

    static TransportConfig of(TransportConfig raw, Consumer<String> warn) {
        BoundedValues values = new BoundedValues(TransportConfig.PID);
        String selfName = raw.selfName() == null ? "" : raw.selfName().strip();
        if (selfName.isEmpty() || selfName.length() > MAX_SELF_NAME) {
            selfName = values.replaced("selfName", raw.selfName(), DEFAULT_SELF_NAME, "1-" + MAX_SELF_NAME + " characters");
        }
        CheckedTransportConfig checked = new CheckedTransportConfig(
                raw.interfaces() == null ? new String[0] : raw.interfaces().clone(), raw.advertiseSelf(), selfName,
                values.within("interfaceCheckSeconds", raw.interfaceCheckSeconds(), 1, 3600),
                values.within("receiveBufferBytes", raw.receiveBufferBytes(), 65_536, 64 << 20));
        values.warn(warn);
        return checked;
    }

    @Override
    public String[] interfaces() {
        return interfaces.clone();
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return TransportConfig.class;
    }
}
