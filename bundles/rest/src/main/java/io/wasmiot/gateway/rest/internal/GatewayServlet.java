package io.wasmiot.gateway.rest.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.wasmiot.gateway.api.metrics.MetricSample;
import io.wasmiot.gateway.api.metrics.MetricsProvider;
import io.wasmiot.lib.json.JsonMappers;
import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** The gateway's own {@code /health}, description, and {@code /metrics} (Prometheus text format 0.0.4). */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({"/health", "/.well-known/wasmiot-device-description", "/metrics"})
@HttpWhiteboardServletName("wasmiot-gateway")
public class GatewayServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient JsonResponses responses = new JsonResponses(JsonMappers.withOwnTypeCache(new ObjectMapper()));
    private final transient List<MetricsProvider> providers = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addProvider(MetricsProvider provider) {
        providers.add(provider);
    }

    void removeProvider(MetricsProvider provider) {
        providers.remove(provider);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        switch (request.getServletPath()) {
            case "/health" -> {
                // A gateway never needs to be told where its gateway is.
                response.setHeader("Custom-Orchestrator-Set", "true");
                responses.send(response, 200, Map.of("status", "ok"));
            }
            case "/.well-known/wasmiot-device-description" -> responses.send(response, 200, description());
            case "/metrics" -> metrics(response);
            default -> responses.error(response, 404, "no such resource");
        }
    }

    private static Map<String, Object> description() {
        Runtime runtime = Runtime.getRuntime();
        Map<String, Object> platform = new LinkedHashMap<>();
        platform.put("memory", Map.of("bytes", runtime.maxMemory()));
        platform.put("cpu", Map.of("coreCount", runtime.availableProcessors(),
                "architecture", System.getProperty("os.arch", "unknown")));
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("role", "orchestrator");
        description.put("platform", platform);
        description.put("supervisorInterfaces", List.of());
        return description;
    }

    private void metrics(HttpServletResponse response) throws IOException {
        Map<String, List<MetricSample>> byName = new TreeMap<>();
        for (MetricsProvider provider : providers) {
            for (MetricSample sample : provider.metrics()) {
                byName.computeIfAbsent(sample.name(), name -> new ArrayList<>()).add(sample);
            }
        }
        response.setStatus(200);
        response.setContentType("text/plain; version=0.0.4; charset=utf-8");
        PrintWriter out = response.getWriter();
        for (Map.Entry<String, List<MetricSample>> family : byName.entrySet()) {
            MetricSample first = family.getValue().get(0);
            out.print("# HELP " + family.getKey() + " " + first.help().replace("\\", "\\\\").replace("\n", "\\n") + "\n");
            out.print("# TYPE " + family.getKey() + " " + first.type() + "\n");
            family.getValue().sort(Comparator.comparing(sample -> sample.labels().toString()));
            for (MetricSample sample : family.getValue()) {
                out.print(family.getKey() + labels(sample.labels()) + " " + number(sample.value()) + "\n");
            }
        }
        out.flush();
    }

    private static String labels(Map<String, String> labels) {
        if (labels.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder("{");
        new TreeMap<>(labels).forEach((key, value) -> {
            if (text.length() > 1) {
                text.append(',');
            }
            text.append(key).append("=\"")
                    .append(value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
        });
        return text.append('}').toString();
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }
}
