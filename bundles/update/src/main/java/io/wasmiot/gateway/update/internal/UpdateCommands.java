package io.wasmiot.gateway.update.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Gogo commands in scope {@code wasmiot}: {@code update}, {@code updates} (the journal), {@code bundles} (the inventory). */
@Component(service = Object.class, property = {
        "osgi.command.scope=wasmiot",
        "osgi.command.function=update",
        "osgi.command.function=updates",
        "osgi.command.function=bundles"})
public class UpdateCommands {
    private final BundleUpdater updater;
    private final BundleContext context;

    @Activate
    public UpdateCommands(BundleContext context, @Reference BundleUpdater updater) {
        this.context = context;
        this.updater = updater;
    }

    @Descriptor("updates a bundle from a jar file, health-gated (rolled back when the gate fails); '-' as the name installs a new bundle")
    public String update(@Descriptor("symbolic name of the bundle to update, or - for a new bundle") String bundle,
                         @Descriptor("the jar file") String file,
                         @Descriptor("its SHA-256, as sha256sum prints it") String sha256) throws IOException {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            JournalEntry last = updater.update("-".equals(bundle) ? "" : bundle, in, sha256,
                    "gogo " + System.getProperty("user.name", "?"));
            return line(last);
        } catch (UpdateRefused e) {
            return "REFUSED (nothing changed): " + e.getMessage();
        }
    }

    @Descriptor("the update journal, newest first")
    public String updates() throws IOException {
        List<JournalEntry> entries = new ArrayList<>(updater.journal());
        StringBuilder text = new StringBuilder();
        for (int i = entries.size() - 1; i >= 0; i--) {
            text.append(entries.get(i).time()).append(' ').append(line(entries.get(i))).append('\n');
        }
        return text.append(entries.size()).append(" journal entries").toString();
    }

    @Descriptor("what runs: bundle, version, state, SHA-256 of its jar, since when")
    public String bundles() {
        StringBuilder text = new StringBuilder();
        for (Inventory.RunningBundle bundle : Inventory.of(context, updater.runningJars())) {
            text.append(String.format("%4d %-45s %-28s %-10s %s %s%n", bundle.id(), bundle.symbolicName(),
                    bundle.version(), bundle.state().split(" ")[0], bundle.sha256() == null ? "-" : bundle.sha256(),
                    bundle.since()));
        }
        return text.toString();
    }

    private static String line(JournalEntry entry) {
        return entry.step() + " " + entry.update() + " " + (entry.bundle() == null ? "(unknown bundle)" : entry.bundle())
                + (entry.oldVersion() == null ? "" : " " + entry.oldVersion() + " ->")
                + (entry.newVersion() == null ? "" : " " + entry.newVersion())
                + (entry.decisionMillis() == null ? "" : " in " + entry.decisionMillis() + " ms")
                + (entry.reason() == null ? "" : ": " + entry.reason()) + " (by " + entry.who() + ")";
    }
}
