package io.wasmiot.gateway.update.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;

import org.apache.felix.webconsole.servlet.AbstractServlet;
import org.apache.felix.webconsole.servlet.ServletConstants;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.owasp.encoder.Encode;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The web console page "WasmIoT updates" ({@code /system/console/wasmiot-updates}): the update
 * journal (newest first) and what runs, behind the console's login. Read-only: an update is a
 * REST call or a Gogo command (README, "Updating a bundle remotely"). Every value is HTML-encoded.
 */
@Component(service = Servlet.class, property = {
        ServletConstants.PLUGIN_LABEL + "=wasmiot-updates",
        ServletConstants.PLUGIN_TITLE + "=WasmIoT updates",
        ServletConstants.PLUGIN_CATEGORY + "=WasmIoT"})
public class UpdatesPlugin extends AbstractServlet {
    private static final long serialVersionUID = 1L;
    private static final int JOURNAL_ROWS = 100;

    private final transient BundleUpdater updater;
    private final transient BundleContext context;

    @Activate
    public UpdatesPlugin(BundleContext context, @Reference BundleUpdater updater) {
        this.context = context;
        this.updater = updater;
    }

    @Override
    public void renderContent(HttpServletRequest request, HttpServletResponse response) throws IOException {
        PrintWriter out = response.getWriter();
        List<JournalEntry> entries = updater.journal();
        out.println("<h2>Update journal (newest first, at most " + JOURNAL_ROWS + ")</h2>");
        out.println("<p>" + Encode.forHtml(updater.settings().toString()) + "</p>");
        out.println("<table class='tablesorter nicetable'><thead><tr><th>time</th><th>update</th><th>step</th>"
                + "<th>bundle</th><th>from</th><th>to</th><th>decided after</th><th>who</th><th>reason</th></tr></thead><tbody>");
        for (int i = entries.size() - 1; i >= Math.max(0, entries.size() - JOURNAL_ROWS); i--) {
            JournalEntry entry = entries.get(i);
            row(out, entry.time(), entry.update(), entry.step().name(), entry.bundle(),
                    version(entry.oldVersion(), entry.oldSha256()), version(entry.newVersion(), entry.newSha256()),
                    entry.decisionMillis() == null ? "" : entry.decisionMillis() + " ms", entry.who(), entry.reason());
        }
        out.println("</tbody></table>");
        out.println("<h2>What runs</h2><table class='tablesorter nicetable'><thead><tr><th>id</th><th>bundle</th>"
                + "<th>version</th><th>state</th><th>SHA-256</th><th>since</th></tr></thead><tbody>");
        for (Inventory.RunningBundle bundle : Inventory.of(context, updater.runningJars())) {
            row(out, Long.toString(bundle.id()), bundle.symbolicName(), bundle.version(), bundle.state(),
                    bundle.sha256(), bundle.since());
        }
        out.println("</tbody></table>");
    }

    private static String version(String version, String sha256) {
        return version == null ? "" : version + (sha256 == null ? "" : " (" + sha256.substring(0, 12) + "…)");
    }

    private static void row(PrintWriter out, String... cells) {
        out.print("<tr>");
        for (String cell : cells) {
            out.print("<td>" + Encode.forHtml(cell == null ? "" : cell) + "</td>");
        }
        out.println("</tr>");
    }
}
