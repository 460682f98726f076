package io.wasmiot.bench;

import static io.wasmiot.bench.Stats.num;

import java.nio.file.Files;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** docs/benchmarks.md and its charts: the run's header, then each section in order. */
final class Report {
    private Report() {
    }

    static void write(Results r, Options o) throws Exception {
        Files.createDirectories(o.out);
        List<String> charts = Charts.draw(r, o.out);
        StringBuilder md = new StringBuilder();
        md.append("# Benchmarks\n\n");
        md.append("Produced by one run of\n\n```sh\n").append(o.commandLine).append("\n```\n\n");
        md.append(String.format("on %s, %d cores (`nproc`), %s, in %.0f s. The real jars (`runtime/target/wasmiot-gateway.jar`,\n",
                ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(java.time.ZoneOffset.UTC)),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                r.wallSeconds));
        md.append("`runtime/target/wasmiot-simulator.jar`) as separate processes inside `bin/netns-run` (loopback only).\n");
        md.append("Load average (1/5/15 min) at the start: ").append(r.loadAvgStart).append(", at the end: ").append(r.loadAvgEnd)
                .append(" (the harness, gateway and simulator share the cores; anything else running skews the figures).\n");
        md.append("The reference figures are the ones quoted in issue 8 (reference orchestrator, same kind of machine,\n");
        md.append("python-zeroconf devices). Regenerate with the command above; `bin/benchmark --help` lists the options.\n\n");

        md.append("Machine: ").append(machine()).append(".\n\n");
        md.append("Gateway JVM flags: ").append(o.gatewayFlags.isEmpty() ? "none (the JVM's defaults)" : "`" + String.join(" ", o.gatewayFlags) + "`")
                .append(", from ").append(o.gatewayFlagsSource).append(".\n\n");
        md.append("Each table gives this gateway's figure, the floor where there is one (what any gateway on this\n"
                + "machine must wait for), the reference orchestrator's figure quoted in issue 8, the issue's target and\n"
                + "whether this run met it. Figures from one run on 2 shared cores move by tens of percent between runs.\n\n");
        ReportDiscovery.append(md, r, charts);
        ReportFigures.append(md, r, o, charts);
        ReportFindings.append(md, r, o);
        ReportMethod.append(md, r, o);
        ReportDetail.append(md, r, o);
        Files.writeString(o.out.resolve("benchmarks.md"), md.toString());
    }

    /** Cores, CPU model, memory, load average now. */
    static String machine() {
        String model = "?";
        String mem = "?";
        try {
            model = Files.readAllLines(java.nio.file.Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("?");
            mem = Files.readAllLines(java.nio.file.Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .findFirst().map(l -> num(Long.parseLong(l.replaceAll("\\D+", "")) / 1048576.0, 1) + " GiB").orElse("?");
        } catch (Exception e) {
            // not Linux
        }
        return Runtime.getRuntime().availableProcessors() + " cores (" + model + "), " + mem + " memory";
    }
}
