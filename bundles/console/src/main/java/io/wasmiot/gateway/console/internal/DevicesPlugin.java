package io.wasmiot.gateway.console.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URL;
import java.util.List;
import java.util.Optional;

import org.apache.felix.webconsole.servlet.AbstractServlet;
import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.wasmiot.gateway.api.DeviceLogs;
import io.wasmiot.gateway.api.DiscoveryControl;
import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.model.Device;
import io.wasmiot.gateway.api.model.DeviceLogLine;
import io.wasmiot.gateway.api.source.CapacityExceededException;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The web console page "WasmIoT devices" ({@code /system/console/wasmiot-devices}): a live table
 * fed by {@code GET /file/device} and the event stream, and the operator's actions. Actions post
 * to this plugin, so they are guarded by the console's own login; each needs the
 * {@code X-Requested-With: wasmiot} header, which a cross-site form cannot send. Device-supplied
 * text is only ever put into the page as text (never as HTML) by the script.
 */
@Component(service = Servlet.class, property = {
        ServletConstants.PLUGIN_LABEL + "=" + DevicesPlugin.LABEL,
        ServletConstants.PLUGIN_TITLE + "=WasmIoT devices",
        ServletConstants.PLUGIN_CATEGORY + "=WasmIoT"})
public class DevicesPlugin extends AbstractServlet {
    static final String LABEL = "wasmiot-devices";
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DevicesPlugin.class);
    private static final String ACTION_HEADER = "X-Requested-With";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile DiscoveryControl control;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile HandRegistrations registrations;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile DeviceLogs logs;

    /** {@code .../wasmiot-devices/logs?id=<_id>}: the device's kept log lines; else the page's resources. */
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        String path = request.getPathInfo() != null ? request.getPathInfo() : request.getRequestURI();
        if (path != null && path.endsWith("/" + LABEL + "/logs")) {
            logLines(request.getParameter("id"), response);
            return;
        }
        super.doGet(request, response);
    }

    /**
     * {@code [{"received": "<ISO-8601>", "logData": {...}}, ...]}, oldest first. A line is a JSON
     * object the REST intake validated and wrote compactly: it goes into the array as it is.
     */
    private void logLines(String id, HttpServletResponse response) throws IOException {
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        setNoCache(response);
        DeviceLogs current = logs;
        if (current == null || id == null || !Device.isValidId(id)) {
            response.setStatus(current == null ? 503 : 400);
            response.getWriter().print(current == null ? "{\"error\":\"device logs unavailable\"}"
                    : "{\"error\":\"id is a device _id\"}");
            return;
        }
        StringBuilder json = new StringBuilder("[");
        for (DeviceLogLine line : current.recent(id)) {
            json.append(json.length() > 1 ? "," : "").append("{\"received\":\"").append(line.received())
                    .append("\",\"logData\":").append(line.data()).append('}');
        }
        response.getWriter().print(json.append(']'));
    }

    @Override
    public void renderContent(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String pluginRoot = String.valueOf(request.getAttribute(ServletConstants.ATTR_PLUGIN_ROOT));
        PrintWriter out = response.getWriter();
        out.println("<link rel='stylesheet' href='" + attribute(pluginRoot) + "/res/devices.css'>");
        out.println("<div id='wasmiot' data-plugin-root='" + attribute(pluginRoot) + "' data-api='/file/device'>");
        out.println("<p class='statline' id='wasmiot-status'>Loading devices...</p>");
        out.println("<div class='wasmiot-actions'>"
                + "<button type='button' id='wasmiot-rescan'>Rescan</button>"
                + "<form id='wasmiot-register'>Register: "
                + "<input name='address' placeholder='IP address' required size='16'> "
                + "<input name='port' type='number' min='1' max='65535' placeholder='port' required> "
                + "<input name='name' placeholder='name (optional)' size='16'> "
                + "<button type='submit'>Register</button></form></div>");
        out.println("<table class='tablelayout nicetable' id='wasmiot-devices'><thead><tr>"
                + "<th>Name</th><th>Status</th><th>Address</th><th>Last health</th><th>Age</th><th>Actions</th>"
                + "</tr></thead><tbody></tbody></table>");
        out.println("</div>");
        out.println("<script src='" + attribute(pluginRoot) + "/res/devices.js'></script>");
    }

    @Override
    protected URL getResource(String path) {
        if (path == null) {
            return null;
        }
        int at = path.indexOf("/res/");
        if (at < 0) {
            return null;
        }
        String name = path.substring(at + "/res/".length());
        return name.matches("[a-z]+\\.(js|css)") ? getClass().getResource("/res/" + name) : null;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        response.setCharacterEncoding("UTF-8");
        if (!"wasmiot".equals(request.getHeader(ACTION_HEADER))) {
            answer(response, 403, "actions need the header " + ACTION_HEADER + ": wasmiot");
            return;
        }
        DiscoveryControl currentControl = control;
        if (currentControl == null) {
            answer(response, 503, "the discovery core is not running");
            return;
        }
        String action = String.valueOf(request.getParameter("action"));
        String id = request.getParameter("id");
        String user = request.getRemoteUser() == null ? request.getRemoteAddr() : request.getRemoteUser();
        switch (action) {
            case "forget" -> done(response, currentControl.forget(id, "forgotten by operator (web console, " + user + ")"),
                    "forgot");
            case "blacklist" -> done(response, currentControl.setBlacklisted(id, true), "blacklisted");
            case "unblacklist" -> done(response, currentControl.setBlacklisted(id, false), "unblacklisted");
            case "rescan" -> {
                currentControl.rescan();
                answer(response, 200, "rescan requested");
            }
            case "register" -> register(request, response);
            default -> answer(response, 400, "unknown action");
        }
    }

    private void register(HttpServletRequest request, HttpServletResponse response) throws IOException {
        HandRegistrations current = registrations;
        if (current == null || !current.available()) {
            answer(response, 503, "the discovery core is not running");
            return;
        }
        String address = String.valueOf(request.getParameter("address")).strip();
        String name = String.valueOf(request.getParameter("name")).strip();
        int port;
        try {
            port = Integer.parseInt(String.valueOf(request.getParameter("port")).strip());
        } catch (NumberFormatException e) {
            answer(response, 400, "the port is a number from 1 to 65535");
            return;
        }
        if (!address.matches("[0-9A-Fa-f:.]{2,45}")) {
            answer(response, 400, "the address is an IP address");
            return;
        }
        try {
            String deviceName = name.isEmpty() || name.equals("null") ? address : name;
            current.register(deviceName, new Communication(List.of(address), port));
            LOG.info("Device {} registered by hand at {}:{} (web console)", deviceName, address, port);
            answer(response, 200, "registered " + deviceName + "; listed once its description answers");
        } catch (IllegalArgumentException e) {
            answer(response, 400, e.getMessage());
        } catch (CapacityExceededException | IllegalStateException e) {
            answer(response, 503, e.getMessage());
        }
    }

    private static void done(HttpServletResponse response, Optional<Device> device, String verb) throws IOException {
        if (device.isEmpty()) {
            answer(response, 404, "no such device");
        } else {
            answer(response, 200, verb + " " + device.get().name());
        }
    }

    private static void answer(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.getWriter().print(message);
    }

    /** For the page's own URLs only; never device data. */
    private static String attribute(String value) {
        return value.replace("&", "&amp;").replace("'", "&#39;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
