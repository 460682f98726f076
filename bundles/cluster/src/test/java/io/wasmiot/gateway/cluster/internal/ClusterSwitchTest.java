package io.wasmiot.gateway.cluster.internal;

import static org.junit.Assert.assertEquals;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.Test;
import org.osgi.service.component.ComponentContext;

/** The leases and the relay are enabled by a store pool on PostgreSQL, disabled by one on H2. */
public class ClusterSwitchTest {
    private static final String LEASES = ClusterLeases.class.getName();
    private static final String RELAY = PgEventRelay.class.getName();

    private final List<String> calls = new ArrayList<>();
    private final ComponentContext context = (ComponentContext) Proxy.newProxyInstance(
            getClass().getClassLoader(), new Class<?>[] {ComponentContext.class}, (proxy, method, args) -> {
                switch (method.getName()) {
                    case "enableComponent" -> calls.add("+" + args[0]);
                    case "disableComponent" -> calls.add("-" + args[0]);
                    default -> throw new UnsupportedOperationException(method.getName());
                }
                return null;
            });
    private final DataSource pool = PgEventRelayTest.closedPort();

    private static final Map<String, Object> PG = Map.of("dialect", "postgresql");
    private static final Map<String, Object> H2 = Map.of("dialect", "h2");

    @Test
    public void withoutAPoolNothingIsTouched() {
        new ClusterSwitch().activate(context);
        assertEquals(List.of(), calls);
    }

    @Test
    public void anH2PoolKeepsThemDisabled() {
        ClusterSwitch cluster = new ClusterSwitch();
        cluster.activate(context);
        cluster.addPool(pool, H2);
        assertEquals(List.of("-" + LEASES, "-" + RELAY), calls);
    }

    @Test
    public void aPostgresPoolBoundBeforeActivationEnablesBoth() {
        ClusterSwitch cluster = new ClusterSwitch();
        cluster.addPool(pool, PG);
        assertEquals("nothing before activation", List.of(), calls);
        cluster.activate(context);
        assertEquals(List.of("+" + LEASES, "+" + RELAY), calls);
    }

    /** A store update: the old pool goes (its static references stop them), the new one comes. */
    @Test
    public void aPoolThatGoesDisablesNothingAndTheNextOneEnablesAgain() {
        ClusterSwitch cluster = new ClusterSwitch();
        cluster.activate(context);
        cluster.addPool(pool, PG);
        calls.clear();
        cluster.removePool(pool, PG);
        assertEquals(List.of(), calls);
        cluster.addPool(PgEventRelayTest.closedPort(), PG);
        assertEquals(List.of("+" + LEASES, "+" + RELAY), calls);
    }

    /** The configuration changed from PostgreSQL to H2: the H2 pool turns them off. */
    @Test
    public void anH2PoolAfterThePostgresOneDisablesBoth() {
        ClusterSwitch cluster = new ClusterSwitch();
        cluster.activate(context);
        cluster.addPool(pool, PG);
        cluster.removePool(pool, PG);
        calls.clear();
        cluster.addPool(PgEventRelayTest.closedPort(), H2);
        assertEquals(List.of("-" + LEASES, "-" + RELAY), calls);
    }

    @Test
    public void stoppingTheSwitchDisablesNothing() {
        ClusterSwitch cluster = new ClusterSwitch();
        cluster.activate(context);
        cluster.addPool(pool, PG);
        calls.clear();
        cluster.deactivate();
        assertEquals(List.of(), calls);
    }
}
