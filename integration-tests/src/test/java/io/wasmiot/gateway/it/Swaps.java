package io.wasmiot.gateway.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Bundle swaps as an operator does them: stop/start, update from the exported jar, and for the API
 * bundle a framework refresh of its dependents; then a wait until every gateway component is back.
 */
final class Swaps {
    static final String API = "wasmiot.gateway.api";
    private final BundleContext context;
    private final ServiceComponentRuntime scr;

    Swaps(BundleContext context, ServiceComponentRuntime scr) {
        this.context = context;
        this.scr = scr;
    }

    Bundle bundle(String symbolicName) {
        for (Bundle bundle : context.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    /** Stops and starts the bundle; {@code duringGap} runs while it is stopped. The API bundle is then refreshed. */
    void stopStart(String symbolicName, Runnable duringGap) throws BundleException, InterruptedException {
        Bundle bundle = bundle(symbolicName);
        bundle.stop();
        duringGap.run();
        bundle.start();
        if (API.equals(symbolicName)) {
            refresh(bundle);
        }
    }

    /**
     * Disables a DS component and enables it again, as an operator does on the web console's Components
     * page; {@code duringGap} runs while it is disabled.
     */
    void disableEnable(String componentName, Runnable duringGap) throws Exception {
        ComponentDescriptionDTO component = scr.getComponentDescriptionDTOs().stream()
                .filter(description -> description.name.equals(componentName)).findFirst()
                .orElseThrow(() -> new AssertionError("no component " + componentName));
        scr.disableComponent(component).getValue();
        duringGap.run();
        scr.enableComponent(component).getValue();
    }

    /** Updates the bundle from its exported jar; the API bundle is then refreshed so its dependents rewire. */
    void update(String symbolicName) throws BundleException, IOException, InterruptedException {
        Bundle bundle = bundle(symbolicName);
        try (InputStream jar = new FileInputStream(jarOf(symbolicName))) {
            bundle.update(jar);
        }
        if (API.equals(symbolicName)) {
            refresh(bundle);
        }
    }

    /** FrameworkWiring.refreshBundles of one bundle: every bundle wired to it is stopped, rewired and restarted. */
    void refresh(Bundle bundle) throws InterruptedException {
        FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
        Collection<Bundle> closure = wiring.getDependencyClosure(List.of(bundle));
        // The test's own probe bundle must not be in it, or the refresh would restart the test.
        assertFalse("the test probe is wired to " + bundle.getSymbolicName(), closure.contains(context.getBundle()));
        CountDownLatch refreshed = new CountDownLatch(1);
        wiring.refreshBundles(List.of(bundle), event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                refreshed.countDown();
            }
        });
        if (!refreshed.await(60, TimeUnit.SECONDS)) {
            throw new AssertionError("refresh of " + bundle.getSymbolicName() + " not done within 60 s");
        }
    }

    /** The components of the gateway's bundles, by name, each active or satisfied: waits until that holds. */
    void awaitComponentsBack(int expected, Duration timeout) {
        List<String> lastSeen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try {
            Await.until(expected + " gateway components active", timeout, () -> {
                List<String> notBack = notBack();
                lastSeen.clear();
                lastSeen.addAll(notBack);
                return notBack.isEmpty() && gatewayComponents().size() == expected ? Boolean.TRUE : null;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; not back: " + lastSeen + "; components: "
                    + gatewayComponents().size(), e);
        }
    }

    List<ComponentDescriptionDTO> gatewayComponents() {
        List<ComponentDescriptionDTO> ours = new ArrayList<>();
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            // Not the disabled ones: the store components of the database not configured, and the cluster
            // bundle's leases and event relay, which it enables on PostgreSQL only.
            if (description.bundle.symbolicName.startsWith("wasmiot.gateway.") && description.defaultEnabled) {
                ours.add(description);
            }
        }
        return ours;
    }

    private List<String> notBack() {
        List<String> waiting = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            String name = bundle.getSymbolicName();
            if (name != null && name.startsWith("wasmiot.gateway.") && bundle.getState() != Bundle.ACTIVE) {
                waiting.add(name);
            }
        }
        for (ComponentDescriptionDTO description : gatewayComponents()) {
            List<ComponentConfigurationDTO> configurations = new ArrayList<>(scr.getComponentConfigurationDTOs(description));
            // A component configured by a factory PID has no configuration until one is created.
            if (configurations.isEmpty() && !"require".equals(description.configurationPolicy)) {
                waiting.add(description.name);
            }
            for (ComponentConfigurationDTO configuration : configurations) {
                if (configuration.state != ComponentConfigurationDTO.ACTIVE
                        && configuration.state != ComponentConfigurationDTO.SATISFIED) {
                    waiting.add(description.name);
                }
            }
        }
        return waiting;
    }

    static File jarOf(String symbolicName) {
        File[] jars = new File(System.getProperty("wasmiot.runbundles.dir"))
                .listFiles((dir, name) -> name.startsWith(symbolicName + "-"));
        assertNotNull(jars);
        assertEquals(1, jars.length);
        return jars[0];
    }
}
