package io.wasmiot.gateway.it;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.ops4j.pax.exam.Option;

/**
 * Pax Exam options that boot exactly the gateway jar's run bundles (exported by the runtime module)
 * on Felix, with the gateway's run properties pointed at a test folder and a free port.
 */
final class GatewayOptions {
    private GatewayOptions() {
    }

    static Option[] gateway(String dataName) {
        File runBundles = new File(System.getProperty("wasmiot.runbundles.dir"));
        File[] jars = runBundles.listFiles((dir, name) -> name.endsWith(".jar"));
        if (jars == null || jars.length == 0) {
            throw new IllegalStateException("no run bundles in " + runBundles + ": build the runtime module first");
        }
        Arrays.sort(jars);
        Path itDir = Path.of(System.getProperty("wasmiot.it.dir", "target/it")).toAbsolutePath();
        List<Option> options = new ArrayList<>();
        for (File jar : jars) {
            String name = jar.getName();
            // SLF4J 2 finds its provider through SPI Fly: they start before everything else (level 1;
            // Pax Exam's own bundles start at 2, provisioned bundles at 3).
            boolean early = name.startsWith("asm-") || name.startsWith("org.apache.aries.spifly")
                    || name.startsWith("slf4j-");
            options.add(early ? bundle(jar.toURI().toString()).startLevel(1) : bundle(jar.toURI().toString()));
        }
        options.add(junitBundles());
        options.add(cleanCaches(true));
        options.add(frameworkProperty("org.osgi.service.http.port").value(String.valueOf(freePort())));
        options.add(frameworkProperty("wasmiot.data.dir").value(itDir.resolve(dataName).toString()));
        options.add(frameworkProperty("felix.fileinstall.dir").value(itDir.resolve(dataName + "-conf").toString()));
        options.add(frameworkProperty("felix.fileinstall.noInitialDelay").value("true"));
        options.add(frameworkProperty("felix.fileinstall.enableConfigSave").value("false"));
        options.add(frameworkProperty("felix.cm.dir").value(itDir.resolve(dataName + "-config").toString()));
        options.add(frameworkProperty("gosh.args").value("--nointeractive"));
        // as runtime/jvm.options: Felix EventAdmin's pool of 4 delivery threads (+2 asynchronous), not 20
        options.add(frameworkProperty("org.apache.felix.eventadmin.ThreadPoolSize").value("4"));
        // as the jar (cnf/runtime-common.bnd): Felix Jetty installs the standby's start gate
        options.add(frameworkProperty("org.apache.felix.proxy.load.balancer.connection.enable").value("true"));
        options.add(frameworkProperty("org.slf4j.simpleLogger.defaultLogLevel").value("warn"));
        return options.toArray(Option[]::new);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
