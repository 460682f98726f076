package io.wasmiot.agent.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The agent's settings from its configuration properties, each key falling back to the reference
 * supervisor's environment variable, then to the default (docs/contract.md §8). Blank values count as unset.
 */
record AgentSettings(String name, int port, URI orchestratorUrl, Duration renewalTime, Path descriptionFile,
        Inet4Address mdnsAddress) {

    static final String NAME_ENV = "WASMIOT_SUPERVISOR_NAME";
    static final String PORT_ENV = "WASMIOT_SUPERVISOR_PORT";
    static final String ORCHESTRATOR_URL_ENV = "WASMIOT_ORCHESTRATOR_URL";
    static final String RENEWAL_TIME_ENV = "WASMIOT_REGISTER_RENEWAL_TIME";
    static final int DEFAULT_PORT = 5000;
    static final long DEFAULT_RENEWAL_SECONDS = 900;

    /**
     * @param properties  the component's properties (configuration keys of {@link AgentConfig})
     * @param environment environment variables by name
     * @param hostName    this host's name, for the default device name
     */
    static AgentSettings resolve(Map<String, ?> properties, Function<String, String> environment,
            Supplier<String> hostName) {
        String name = text(properties, "name", environment, NAME_ENV);
        if (name == null) {
            name = labelFrom(hostName.get());
        }
        String portText = text(properties, "port", environment, PORT_ENV);
        int port = portText == null ? DEFAULT_PORT : integer("port", portText, 1, 65535);
        String url = text(properties, "orchestratorUrl", environment, ORCHESTRATOR_URL_ENV);
        URI orchestratorUrl = url == null ? null : OrchestratorClient.parseBaseUrl(url);
        String renewalText = text(properties, "registerRenewalSeconds", environment, RENEWAL_TIME_ENV);
        long renewalSeconds = renewalText == null ? DEFAULT_RENEWAL_SECONDS
                : integer("registerRenewalSeconds", renewalText, 1, Integer.MAX_VALUE);
        String description = text(properties, "descriptionFile", key -> null, null);
        String address = text(properties, "mdnsAddress", key -> null, null);
        return new AgentSettings(name, port, orchestratorUrl, Duration.ofSeconds(renewalSeconds),
                description == null ? null : Path.of(description),
                address == null ? null : NetworkAddresses.parseIpv4(address));
    }

    DeviceSettings deviceSettings() {
        return new DeviceSettings(name, port, orchestratorUrl, renewalTime, descriptionFile, FaultMode.HEALTHY);
    }

    /** The configured value of {@code key}, else the environment variable, else {@code null}. */
    private static String text(Map<String, ?> properties, String key, Function<String, String> environment,
            String environmentName) {
        Object value = properties.get(key);
        if (value != null && !value.toString().isBlank()) {
            return value.toString().trim();
        }
        String fromEnvironment = environmentName == null ? null : environment.apply(environmentName);
        return fromEnvironment == null || fromEnvironment.isBlank() ? null : fromEnvironment.trim();
    }

    private static int integer(String key, String text, int min, long max) {
        try {
            long value = Long.parseLong(text);
            if (value >= min && value <= max) {
                return (int) value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(key + " '" + text + "' must be a whole number from " + min + " to " + max);
    }

    /** A host name as an mDNS instance label: its first label, at most 63 bytes. */
    static String labelFrom(String hostName) {
        String label = hostName == null ? "" : hostName.trim();
        int dot = label.indexOf('.');
        if (dot >= 0) {
            label = label.substring(0, dot);
        }
        label = label.replaceAll("[^A-Za-z0-9_-]", "-");
        if (label.length() > DeviceSettings.MAX_NAME_BYTES) {
            label = label.substring(0, DeviceSettings.MAX_NAME_BYTES);
        }
        return label.isEmpty() ? "wasmiot-agent" : label;
    }

    /**
     * This host's name without a DNS look-up where possible: the kernel's (Linux), then the usual
     * environment variables, then Java's (which may ask DNS).
     */
    static String localHostName() {
        try {
            String kernel = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).trim();
            if (!kernel.isEmpty()) {
                return kernel;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        for (String variable : new String[] {"HOSTNAME", "COMPUTERNAME"}) {
            String value = System.getenv(variable);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "wasmiot-agent";
        }
    }
}
