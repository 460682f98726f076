package io.wasmiot.agent.internal;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * One device: its mDNS instance label, HTTP port, where it registers, and how it behaves.
 *
 * @param name            the mDNS instance label ({@code name._webthing._tcp.local.})
 * @param port            HTTP port; {@code 0} lets the system pick one (tests)
 * @param orchestratorUrl base URL to {@code POST /file/device/discovery/register} to, or {@code null}
 * @param renewalTime     with no {@code GET /health} for this long, the device renews (docs/contract.md §8)
 * @param descriptionFile JSON object served as the description, or {@code null} to describe this host
 * @param faultMode       how it misbehaves
 */
public record DeviceSettings(String name, int port, URI orchestratorUrl, Duration renewalTime, Path descriptionFile,
        FaultMode faultMode) {

    /** Longest DNS label (RFC 1035); the instance label must fit one. */
    static final int MAX_NAME_BYTES = 63;

    public DeviceSettings {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_NAME_BYTES
                || name.contains(".")) {
            throw new IllegalArgumentException("device name '" + name
                    + "' must be 1-63 bytes without dots (it is an mDNS instance label)");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 0-65535");
        }
        if (orchestratorUrl != null) {
            orchestratorUrl = OrchestratorClient.validateBaseUrl(orchestratorUrl);
        }
        Objects.requireNonNull(renewalTime, "renewalTime");
        if (renewalTime.isNegative() || renewalTime.isZero()) {
            throw new IllegalArgumentException("renewal time must be positive");
        }
        Objects.requireNonNull(faultMode, "faultMode");
    }

    /** A healthy device with the reference defaults (renewal 900 s) and a generated description. */
    public static DeviceSettings healthy(String name, int port, URI orchestratorUrl) {
        return new DeviceSettings(name, port, orchestratorUrl, Duration.ofSeconds(900), null, FaultMode.HEALTHY);
    }

    public DeviceSettings withFaultMode(FaultMode mode) {
        return new DeviceSettings(name, port, orchestratorUrl, renewalTime, descriptionFile, mode);
    }
}
