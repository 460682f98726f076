package io.wasmiot.agent.simulator;

import java.net.Inet4Address;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import io.wasmiot.agent.internal.FaultMode;
import io.wasmiot.agent.internal.NetworkAddresses;
import io.wasmiot.agent.internal.PortAllocator;
import io.wasmiot.agent.internal.mdns.RecordLifetimes;

/**
 * The simulator's command line (docs/contract.md §12). {@link #parse} checks everything up front and throws
 * {@link UsageException} with a message naming the offending option.
 *
 * @param devices         devices started at once
 * @param basePort        first device's port; the next ones follow, skipping ports browsers refuse
 * @param namePrefix      names are prefix + the 1-based index, zero-padded to 4 digits (more for more devices)
 * @param orchestratorUrl gateway to register with ({@code --orchestrator-url}, else
 *                        {@code WASMIOT_ORCHESTRATOR_URL}), or {@code null}
 * @param mdns            advertise over mDNS ({@code --no-mdns}: HTTP only)
 * @param faults          fault shares in command-line order
 * @param faultAfter      when timed faults fire
 * @param mdnsAddress     address to advertise and listen on, {@code null} = the default choice
 * @param renewalTime     {@code --renewal-seconds}, else {@code WASMIOT_REGISTER_RENEWAL_TIME}, else 900 s
 * @param threads         Netty event loop threads
 * @param slowDelay       fault {@code slow}: answer delay
 * @param flapEvery       fault {@code flapping}: run length in health checks
 * @param renewalPause    renewal: pause between goodbye and new advertisement
 * @param descriptionFile description served by every device, {@code null} = generated from this host
 * @param startRate       devices started per second (a gateway lists a paced start sooner than a burst)
 * @param goodbyeOnStop   SIGTERM (and closing) sends every device's goodbye; {@code --no-goodbye}: none,
 *                        as stopped python supervisors
 * @param lifetimes       mDNS record lifetimes ({@code --host-ttl} for SRV and A, {@code --other-ttl} for
 *                        PTR and TXT; python-zeroconf's 120 s and 4500 s by default)
 * @param devicesPerDatagram {@code --mdns-devices-per-datagram}: at most this many devices' records in one
 *                        mDNS datagram; 0 (default) packs as many as fit, 1 sends as a fleet of separate
 *                        hosts does (one lost datagram loses one device)
 * @param help            {@code --help}: print the usage and exit
 */
public record SimulatorOptions(int devices, int basePort, String namePrefix, URI orchestratorUrl, boolean mdns,
        List<FaultShare> faults, Duration faultAfter, Inet4Address mdnsAddress, Duration renewalTime, int threads,
        Duration slowDelay, int flapEvery, Duration renewalPause, Path descriptionFile, double startRate,
        boolean goodbyeOnStop, RecordLifetimes lifetimes, int devicesPerDatagram, boolean help) {

    static final int MAX_DEVICES = 60_000;
    static final int MAX_THREADS = 64;
    static final double DEFAULT_START_RATE = 200;
    static final String ORCHESTRATOR_URL_ENV = "WASMIOT_ORCHESTRATOR_URL";
    static final String RENEWAL_TIME_ENV = "WASMIOT_REGISTER_RENEWAL_TIME";

    /** A share of the initial devices that get {@code mode}. */
    public record FaultShare(FaultMode mode, double fraction) {
    }

    /** A command line that cannot run; the message says why. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    public SimulatorOptions {
        faults = List.copyOf(faults);
    }

    static String usage() {
        return String.join("\n",
                "usage: java -jar wasmiot-simulator.jar --devices N [options]",
                "  --devices N               devices to start (0-" + MAX_DEVICES + ")",
                "  --base-port P             first device's port (default 40000); device i gets P+i,",
                "                            skipping ports browsers refuse",
                "  --name-prefix S           device names S0001, S0002... (default sim-)",
                "  --orchestrator-url URL    register every device with this gateway",
                "                            (default: $" + ORCHESTRATOR_URL_ENV + ")",
                "  --no-mdns                 do not advertise over mDNS",
                "  --no-goodbye              SIGTERM: devices vanish from mDNS without a goodbye, as stopped",
                "                            python supervisors (default: every device says goodbye)",
                "  --host-ttl S              mDNS lifetime of SRV and A records in seconds (default "
                        + RecordLifetimes.PYTHON_ZEROCONF.hostTtl() + ", python-zeroconf's)",
                "  --other-ttl S             mDNS lifetime of PTR and TXT records in seconds (default "
                        + RecordLifetimes.PYTHON_ZEROCONF.otherTtl() + ")",
                "  --mdns-devices-per-datagram N  at most N devices' records in one mDNS datagram, as N devices",
                "                            on one host would send them; 1: as a fleet of separate hosts (one lost",
                "                            datagram loses one device). Default 0: as many as fit (8,966 bytes)",
                "  --fault MODE[:FRACTION]   give MODE to the next FRACTION of devices (default 1.0), in order;",
                "                            repeatable. MODE: " + FaultMode.labels(),
                "  --fault-after S           timed faults (vanish, goodbye, move) fire after S seconds (default 10)",
                "  --mdns-address IP         IPv4 to advertise and listen on (default: 127.0.0.1 on a",
                "                            loopback-only host, else the first multicast-capable interface's)",
                "  --renewal-seconds S       renew after S seconds without a health check",
                "                            (default: $" + RENEWAL_TIME_ENV + ", else 900)",
                "  --threads T               HTTP event loop threads (default 2)",
                "  --slow-delay S            fault slow: answer delay (default 8)",
                "  --flap-every N            fault flapping: N healthy health answers, N failing, ... (default 5)",
                "  --renewal-pause S         renewal: seconds between goodbye and new advertisement (default 5)",
                "  --description-file PATH   serve this JSON object as every device's description",
                "  --start-rate R            devices started per second (default " + (int) DEFAULT_START_RATE + "): a gateway",
                "                            lists a paced start sooner than a burst (100000: all at once)",
                "  --help                    print this and exit",
                "stdin commands: goodbye NAME | vanish NAME | return NAME | move NAME PORT | fault NAME MODE |",
                "                restart NAME [PORT] | down NAME | up NAME [PORT] |",
                "                add COUNT | checks NAME | record NAME PORT [KEY=VALUE]... | unrecord NAME",
                "  restart: HTTP closed and reopened (on PORT or the same), advertised again (probe, announce)",
                "           with no goodbye for the old records, as a restarted python supervisor",
                "  down:    HTTP closed, mDNS records dropped without a goodbye (no more answers); up: back again",
                "  record:  a bare mDNS record; NAME, KEY and VALUE percent-encoded");
    }

    /** Parses {@code args}; {@code environment} supplies the reference environment variables. */
    static SimulatorOptions parse(List<String> args, Function<String, String> environment) throws UsageException {
        Integer devices = null;
        int basePort = 40000;
        String namePrefix = "sim-";
        String orchestratorUrl = environment.apply(ORCHESTRATOR_URL_ENV);
        String orchestratorSource = "$" + ORCHESTRATOR_URL_ENV;
        boolean mdns = true;
        List<FaultShare> faults = new ArrayList<>();
        Duration faultAfter = Duration.ofSeconds(10);
        Inet4Address mdnsAddress = null;
        Duration renewalTime = Duration.ofSeconds(900);
        String renewalEnv = environment.apply(RENEWAL_TIME_ENV);
        if (renewalEnv != null && !renewalEnv.isBlank()) {
            renewalTime = seconds("$" + RENEWAL_TIME_ENV, renewalEnv, false);
        }
        int threads = 2;
        Duration slowDelay = Duration.ofSeconds(8);
        int flapEvery = 5;
        Duration renewalPause = Duration.ofSeconds(5);
        Path descriptionFile = null;
        double startRate = DEFAULT_START_RATE;
        boolean goodbyeOnStop = true;
        long hostTtl = RecordLifetimes.PYTHON_ZEROCONF.hostTtl();
        long otherTtl = RecordLifetimes.PYTHON_ZEROCONF.otherTtl();
        int devicesPerDatagram = 0;
        boolean help = false;

        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String option = arg;
            String inlineValue = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                option = arg.substring(0, equals);
                inlineValue = arg.substring(equals + 1);
            }
            if (option.equals("--no-mdns") || option.equals("--help") || option.equals("--no-goodbye")) {
                if (inlineValue != null) {
                    throw new UsageException(option + " takes no value");
                }
                if (option.equals("--help")) {
                    help = true;
                } else if (option.equals("--no-goodbye")) {
                    goodbyeOnStop = false;
                } else {
                    mdns = false;
                }
                continue;
            }
            String value;
            if (inlineValue != null) {
                value = inlineValue;
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new UsageException(option.startsWith("--") && isKnownOption(option)
                        ? option + " needs a value" : "unknown option '" + arg + "'");
            }
            switch (option) {
                case "--devices":
                    devices = integer(option, value, 0, MAX_DEVICES);
                    break;
                case "--base-port":
                    basePort = integer(option, value, 1, 65535);
                    break;
                case "--name-prefix":
                    if (!value.matches("[A-Za-z0-9_-]{0,50}")) {
                        throw new UsageException("--name-prefix '" + value
                                + "' may hold only letters, digits, '-' and '_' (at most 50)");
                    }
                    namePrefix = value;
                    break;
                case "--orchestrator-url":
                    orchestratorUrl = value;
                    orchestratorSource = option;
                    break;
                case "--fault":
                    faults.add(faultShare(value));
                    break;
                case "--fault-after":
                    faultAfter = seconds(option, value, true);
                    break;
                case "--mdns-address":
                    try {
                        mdnsAddress = NetworkAddresses.parseIpv4(value);
                    } catch (IllegalArgumentException e) {
                        throw new UsageException("--mdns-address: " + e.getMessage());
                    }
                    break;
                case "--renewal-seconds":
                    renewalTime = seconds(option, value, false);
                    break;
                case "--threads":
                    threads = integer(option, value, 1, MAX_THREADS);
                    break;
                case "--mdns-devices-per-datagram":
                    devicesPerDatagram = integer(option, value, 0, MAX_DEVICES);
                    break;
                case "--slow-delay":
                    slowDelay = seconds(option, value, true);
                    break;
                case "--flap-every":
                    flapEvery = integer(option, value, 1, 1_000_000);
                    break;
                case "--renewal-pause":
                    renewalPause = seconds(option, value, true);
                    break;
                case "--start-rate":
                    try {
                        startRate = Double.parseDouble(value);
                    } catch (NumberFormatException e) {
                        startRate = -1;
                    }
                    if (!(startRate >= 1 && startRate <= 1_000_000)) {
                        throw new UsageException("--start-rate '" + value + "' must be a number of devices per second from 1");
                    }
                    break;
                case "--host-ttl":
                    hostTtl = integer(option, value, 1, Integer.MAX_VALUE);
                    break;
                case "--other-ttl":
                    otherTtl = integer(option, value, 1, Integer.MAX_VALUE);
                    break;
                case "--description-file":
                    descriptionFile = Path.of(value);
                    if (!Files.isReadable(descriptionFile)) {
                        throw new UsageException("--description-file " + value + " is not a readable file");
                    }
                    break;
                default:
                    throw new UsageException("unknown option '" + arg + "'");
            }
        }
        if (help) {
            return new SimulatorOptions(0, basePort, namePrefix, null, mdns, faults, faultAfter, mdnsAddress,
                    renewalTime, threads, slowDelay, flapEvery, renewalPause, descriptionFile, startRate, goodbyeOnStop,
                    new RecordLifetimes(hostTtl, otherTtl), devicesPerDatagram, true);
        }
        if (devices == null) {
            throw new UsageException("--devices N is required");
        }
        double shares = faults.stream().mapToDouble(FaultShare::fraction).sum();
        if (shares > 1.0 + 1e-9) {
            throw new UsageException(String.format(Locale.ROOT,
                    "--fault fractions add up to %.4f; at most 1.0 of the devices can be given a fault", shares));
        }
        if (new PortAllocator(basePort).remaining() < devices) {
            throw new UsageException("--base-port " + basePort + " leaves too few ports below 65536 for " + devices
                    + " devices");
        }
        URI orchestrator = null;
        if (orchestratorUrl != null && !orchestratorUrl.isBlank()) {
            try {
                orchestrator = URI.create(orchestratorUrl.trim());
                String scheme = orchestrator.getScheme() == null ? "" : orchestrator.getScheme().toLowerCase(Locale.ROOT);
                if (!(scheme.equals("http") || scheme.equals("https")) || orchestrator.getHost() == null) {
                    throw new IllegalArgumentException("not an http(s) URL with a host");
                }
            } catch (IllegalArgumentException e) {
                throw new UsageException(orchestratorSource + " '" + orchestratorUrl + "' is not an http(s) URL with a host");
            }
        }
        return new SimulatorOptions(devices, basePort, namePrefix, orchestrator, mdns, faults, faultAfter, mdnsAddress,
                renewalTime, threads, slowDelay, flapEvery, renewalPause, descriptionFile, startRate, goodbyeOnStop,
                new RecordLifetimes(hostTtl, otherTtl), devicesPerDatagram, false);
    }

    /**
     * The fault of the device at {@code index} (0-based) in the initial batch: shares are laid out
     * in command-line order from index 0, each ending at {@code round(devices * cumulative share)};
     * the remaining devices are healthy.
     */
    public FaultMode faultFor(int index) {
        double cumulative = 0;
        for (FaultShare share : faults) {
            cumulative += share.fraction();
            if (index < Math.round(cumulative * devices)) {
                return share.mode();
            }
        }
        return FaultMode.HEALTHY;
    }

    /** {@code sim-0001} for index 0: 1-based, zero-padded to 4 digits or to the digits of {@code devices}. */
    public String deviceName(int index) {
        int width = Math.max(4, Integer.toString(devices).length());
        return namePrefix + String.format(Locale.ROOT, "%0" + width + "d", index + 1);
    }

    private static boolean isKnownOption(String option) {
        return List.of("--devices", "--base-port", "--name-prefix", "--orchestrator-url", "--fault", "--fault-after",
                "--mdns-address", "--renewal-seconds", "--threads", "--slow-delay", "--flap-every", "--renewal-pause",
                "--description-file", "--start-rate", "--host-ttl", "--other-ttl", "--mdns-devices-per-datagram")
                .contains(option);
    }

    private static FaultShare faultShare(String value) throws UsageException {
        int colon = value.indexOf(':');
        String label = colon < 0 ? value : value.substring(0, colon);
        FaultMode mode;
        try {
            mode = FaultMode.parse(label);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--fault: " + e.getMessage());
        }
        double fraction = 1.0;
        if (colon >= 0) {
            try {
                fraction = Double.parseDouble(value.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new UsageException("--fault " + value + ": the fraction must be a number in (0, 1]");
            }
            if (!(fraction > 0 && fraction <= 1)) {
                throw new UsageException("--fault " + value + ": the fraction must be a number in (0, 1]");
            }
        }
        return new FaultShare(mode, fraction);
    }

    private static int integer(String option, String value, int min, int max) throws UsageException {
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(option + " '" + value + "' must be a whole number from " + min + " to " + max);
    }

    private static Duration seconds(String option, String value, boolean zeroAllowed) throws UsageException {
        try {
            double parsed = Double.parseDouble(value.trim());
            if (Double.isFinite(parsed) && (parsed > 0 || zeroAllowed && parsed == 0) && parsed <= 365 * 86400) {
                return Duration.ofNanos(Math.round(parsed * 1e9));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(option + " '" + value + "' must be a number of seconds"
                + (zeroAllowed ? " (0 or more)" : " (more than 0)"));
    }
}
