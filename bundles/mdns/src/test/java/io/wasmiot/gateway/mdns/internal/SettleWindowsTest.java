package io.wasmiot.gateway.mdns.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import javax.jmdns.ServiceInfo;

import org.junit.After;
import org.junit.Test;

/**
 * Settle windows on a one-thread timer: every call goes through that thread, as the browser's state
 * thread does it, and the test waits for the window's end by running a task after it.
 */
public class SettleWindowsTest {
    private static final long WINDOW_MILLIS = 100;
    private final ScheduledThreadPoolExecutor thread = new ScheduledThreadPoolExecutor(1);
    private final Set<String> known = new HashSet<>();
    private final List<ServiceInfo> acted = new ArrayList<>();
    private final SettleWindows windows = new SettleWindows(thread, WINDOW_MILLIS, known::contains, (name, info) -> {
        acted.add(info);
        known.add(name);
        return true;
    });

    @After
    public void stop() {
        thread.shutdownNow();
    }

    private static ServiceInfo resolved(String name, int port) throws Exception {
        return AddressedServiceInfo.of(name, port, Map.of("path", "/"), InetAddress.getByName("127.0.0.1"));
    }

    /** No address yet: jmdns's first report of a name it is still resolving. */
    private static ServiceInfo partial(String name) {
        return ServiceInfo.create("_webthing._tcp.local.", name, 0, "");
    }

    private void onThread(Runnable task) throws Exception {
        thread.submit(task).get(5, TimeUnit.SECONDS);
    }

    private void afterWindow() throws Exception {
        thread.schedule(() -> { }, WINDOW_MILLIS * 3, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS);
    }

    @Test
    public void aNewFullyResolvedServiceIsActedOnAtOnceAndItsRepeatsAreSettled() throws Exception {
        ServiceInfo first = resolved("dev", 5000);
        ServiceInfo repeat = resolved("dev", 5000);
        onThread(() -> windows.event(first));
        assertEquals("acted on within the event, before any window ends", List.of(first), acted);
        onThread(() -> windows.event(repeat));
        assertEquals("a repeat within the window waits", 1, acted.size());
        afterWindow();
        assertEquals("the window's end hands over the latest info once", List.of(first, repeat), acted);
        assertFalse(windows.isOpen("dev"));
    }

    @Test
    public void aNameResolvingPieceByPieceWaitsForItsWindow() throws Exception {
        ServiceInfo name = partial("dev");
        ServiceInfo full = resolved("dev", 5000);
        assertFalse(name.hasData());
        onThread(() -> windows.event(name));
        onThread(() -> windows.event(full));
        assertTrue("nothing before the window ends", acted.isEmpty());
        assertTrue(windows.isOpen("dev"));
        afterWindow();
        assertEquals(1, acted.size());
        assertSame("the last piece, once", full, acted.get(0));
    }

    @Test
    public void aKnownNameAlwaysWaitsForItsWindow() throws Exception {
        known.add("dev");
        ServiceInfo moved = resolved("dev", 5001);
        onThread(() -> windows.event(moved));
        assertTrue(acted.isEmpty());
        afterWindow();
        assertEquals(List.of(moved), acted);
    }

    @Test
    public void aGoodbyeClosesTheWindowWithoutActing() throws Exception {
        ServiceInfo name = partial("dev");
        onThread(() -> windows.event(name));
        onThread(() -> windows.cancel("dev"));
        afterWindow();
        assertTrue(acted.isEmpty());
        assertFalse(windows.isOpen("dev"));
    }

    @Test
    public void aNewServiceTheActorDoesNotReportWaitsForItsWindow() throws Exception {
        List<ServiceInfo> offered = new ArrayList<>();
        SettleWindows refusing = new SettleWindows(thread, WINDOW_MILLIS, name -> false, (name, info) -> {
            offered.add(info);
            return false; // unusable, or forgotten not long ago
        });
        ServiceInfo info = resolved("dev", 5000);
        onThread(() -> refusing.event(info));
        assertEquals(1, offered.size());
        afterWindow();
        assertEquals("offered again at the window's end", 2, offered.size());
    }
}
