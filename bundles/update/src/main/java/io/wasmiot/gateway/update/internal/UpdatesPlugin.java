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

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The web console page "WasmIoT updates" ({@code /system/console/wasmiot-updates}), behind the
 * console's login: a form that uploads a jar with its expected SHA-256 (the page posts the jar as
 * the body, as the REST endpoint takes it, and the same gated update runs), the update journal
 * (newest first) and what runs. Every value shown is HTML-encoded.
 */
@Component(service = Servlet.class, property = {
        ServletConstants.PLUGIN_LABEL + "=wasmiot-updates",
        ServletConstants.PLUGIN_TITLE + "=WasmIoT updates",
        ServletConstants.PLUGIN_CATEGORY + "=WasmIoT"})
public class UpdatesPlugin extends AbstractServlet {
    private static final long serialVersionUID = 1L;
    private static final int JOURNAL_ROWS = 100;

    /** Posts the chosen jar to this page with its headers and shows the JSON answer as text. */
    private static final String UPLOAD_FORM = """
            <h2>Install or update a bundle</h2>
            <form id='wasmiot-update'>
              <label>Bundle symbolic name (empty: install a new bundle) <input name='bundle' size='40'></label><br>
              <label>Expected SHA-256 of the jar <input name='sha256' size='70' required></label><br>
              <label>Jar <input type='file' name='jar' accept='.jar' required></label>
              <button type='submit'>Update</button>
            </form>
            <p>The update is applied to that one bundle and health-gated; a failed gate restores the previous jar.</p>
            <pre id='wasmiot-update-answer'></pre>
            <script>
            document.getElementById('wasmiot-update').addEventListener('submit', async event => {
              event.preventDefault();
              const form = event.target, answer = document.getElementById('wasmiot-update-answer');
              const headers = {'X-Sha256': form.sha256.value.trim()};
              if (form.bundle.value.trim()) { headers['X-Bundle'] = form.bundle.value.trim(); }
              answer.textContent = 'updating (the gate takes its window)...';
              const reply = await fetch(window.location.pathname, {method: 'POST', headers, body: form.jar.files[0]});
              answer.textContent = reply.status + ' ' + await reply.text();
            });
            </script>""";

    private final transient ObjectMapper mapper = UpdateJson.mapper();
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
        out.println(UPLOAD_FORM);
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

    /** An upload from the form: the jar as the body, as {@code POST /gateway/updates} takes it. */
    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Connection", "close"); // a refusal may leave the jar unread
        String user = request.getRemoteUser() == null ? "user" : request.getRemoteUser().replaceAll("[^\\p{Print}]", "?");
        UpdateServlet.runAndAnswer(updater, mapper, request, response,
                "console " + user + " (" + request.getRemoteAddr() + ")");
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
