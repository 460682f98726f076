package io.wasmiot.gateway.api;

import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.model.ProbeResult;

/**
 * The only code that talks HTTP to devices. Every call is bounded in time and size and never
 * throws: failures complete the stage with a failed {@link ProbeResult}.
 */
@ProviderType
public interface DeviceProber {

    /** {@code GET /.well-known/wasmiot-device-description}, address by address, first JSON object wins. */
    CompletionStage<ProbeResult> describe(Communication target);

    /**
     * {@code GET /health}, address by address in the given order, with {@code X-Forwarded-For}.
     *
     * @param forwardedFor the gateway's public host, sent as {@code X-Forwarded-For}
     */
    CompletionStage<ProbeResult> checkHealth(Communication target, String forwardedFor);

    /** {@code POST /register {"url": gatewayUrl}} to the given address of the device. */
    CompletionStage<ProbeResult> tellGateway(Communication target, String address, String gatewayUrl);
}
