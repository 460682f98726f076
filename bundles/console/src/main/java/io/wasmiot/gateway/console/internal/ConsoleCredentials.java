package io.wasmiot.gateway.console.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Dictionary;
import java.util.Hashtable;

import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Never the Felix default {@code admin}/{@code admin}: when nobody configured the web console's
 * password, the gateway makes a random one, keeps it in {@code <data dir>/console-password}
 * (owner-readable) and says so in the log. A password set by the operator (a {@code .cfg} file,
 * the console, or {@code -Dfelix.webconsole.password}) is never touched. Until the configuration
 * reaches the console, it answers to no password at all ({@link #LOCKED_PASSWORD_PROPERTY}).
 */
@Component(immediate = true)
public class ConsoleCredentials {
    static final String CONSOLE_PID = "org.apache.felix.webconsole.internal.servlet.OsgiManager";
    /**
     * The runtime's default for {@code felix.webconsole.password}, which no password matches
     * (cnf/runtime-common.bnd): the console's password until this component's configuration reaches
     * it. A framework property equal to it is not the operator's.
     */
    static final String LOCKED_PASSWORD_PROPERTY = "wasmiot.console.lockedPassword";
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleCredentials.class);

    @Activate
    public ConsoleCredentials(@Reference ConfigurationAdmin configurationAdmin, BundleContext context) throws IOException {
        String framework = context.getProperty("felix.webconsole.password");
        if (framework != null && !framework.equals(context.getProperty(LOCKED_PASSWORD_PROPERTY))) {
            return; // the operator's, from the command line
        }
        String configDir = context.getProperty("felix.fileinstall.dir");
        if (configDir != null && Files.exists(Path.of(configDir, CONSOLE_PID + ".cfg"))) {
            return; // the operator's file configures it (FileInstall may not have read it yet)
        }
        Configuration configuration = configurationAdmin.getConfiguration(CONSOLE_PID, "?");
        Dictionary<String, Object> properties = configuration.getProperties();
        if (properties != null && properties.get("password") != null) {
            return;
        }
        String dataDir = context.getProperty("wasmiot.data.dir");
        Path file = Path.of(dataDir == null || dataDir.isBlank() ? "./data" : dataDir).toAbsolutePath().normalize()
                .resolve("console-password");
        String password = Files.isRegularFile(file) ? Files.readString(file).strip() : "";
        if (password.isEmpty()) {
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.createDirectories(file.getParent());
            Files.writeString(file, password + "\n");
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                LOG.debug("No POSIX permissions here for {}", file);
            }
        }
        Dictionary<String, Object> updated = properties == null ? new Hashtable<>() : properties;
        if (updated.get("username") == null) {
            updated.put("username", "admin");
        }
        updated.put("password", password);
        configuration.update(updated);
        LOG.warn("Web console: no password was configured; user '{}' has the password stored in {}. Set 'password' in "
                + "PID {} (conf/{}.cfg) to choose your own.", updated.get("username"), file, CONSOLE_PID, CONSOLE_PID);
    }
}
