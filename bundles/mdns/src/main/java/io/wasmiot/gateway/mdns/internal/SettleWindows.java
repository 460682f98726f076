package io.wasmiot.gateway.mdns.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import javax.jmdns.ServiceInfo;

/**
 * One settle window per service name (SPEC §2: jmdns reports a service several times while it
 * resolves; act once it is resolved). Every event of a name opens or extends its window, and the
 * latest info is acted on once the name has been quiet for the window. A new name that arrives fully
 * resolved ({@link ServiceInfo#hasData}: server, address and TXT, as one announcement carries them) is
 * acted on at once instead, and its window only gathers what follows: at most one later action, with
 * the latest info, which the actor ignores when nothing changed. A burst of devices is thus reported
 * as soon as it is on the wire, while a name resolving piece by piece still waits for its last piece.
 *
 * <p>Not thread safe: only the browser's state thread calls it, and {@code timer} must run the
 * window's end on that same thread.
 */
final class SettleWindows {
    /** Acts on a service's info. @return whether it was reported (a new name not reported waits for its window) */
    @FunctionalInterface
    interface Actor {
        boolean act(String name, ServiceInfo info);
    }

    /** The latest info of a name in its window not yet acted on ({@code null}: none since the last action). */
    private static final class Window {
        ServiceInfo latest;
        ScheduledFuture<?> end;
    }

    private final Map<String, Window> open = new HashMap<>();
    private final ScheduledExecutorService timer;
    private final long windowMillis;
    private final Predicate<String> known;
    private final Actor actor;

    /** @param known whether a name has been reported already (a known name always waits for its window) */
    SettleWindows(ScheduledExecutorService timer, long windowMillis, Predicate<String> known, Actor actor) {
        this.timer = timer;
        this.windowMillis = windowMillis;
        this.known = known;
        this.actor = actor;
    }

    void event(ServiceInfo info) {
        String name = info.getName();
        Window window = open.get(name);
        if (window == null) {
            window = new Window();
            open.put(name, window);
            if (known.test(name) || !info.hasData() || !actor.act(name, info)) {
                window.latest = info;
            }
        } else {
            window.latest = info;
            window.end.cancel(false);
        }
        window.end = timer.schedule(() -> ended(name), windowMillis, TimeUnit.MILLISECONDS);
    }

    boolean isOpen(String name) {
        return open.containsKey(name);
    }

    /** Closes the name's window without acting (a goodbye). */
    void cancel(String name) {
        Window window = open.remove(name);
        if (window != null && window.end != null) {
            window.end.cancel(false);
        }
    }

    private void ended(String name) {
        Window window = open.remove(name);
        if (window != null && window.latest != null) {
            actor.act(name, window.latest);
        }
    }
}
