package io.wasmiot.gateway.core.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The core's logger: every core component tells each device's story under this one name, so an operator follows it in one place. */
final class CoreLog {
    static final Logger LOG = LoggerFactory.getLogger("io.wasmiot.gateway.core");

    private CoreLog() {
    }
}
