package io.wasmiot.lib.threads;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Daemon threads with names an operator finds in a thread dump: {@code prefix-1}, {@code prefix-2},
 * ... for a pool, or one fixed name for a single-thread executor. Daemon, so a stopped component's
 * forgotten thread never holds the JVM up (the components still shut their pools down).
 */
public final class NamedThreadFactory implements ThreadFactory {
    private final String prefix;
    private final boolean numbered;
    private final AtomicInteger count = new AtomicInteger();

    private NamedThreadFactory(String prefix, boolean numbered) {
        if (prefix == null || prefix.isBlank()) {
            throw new IllegalArgumentException("a thread name is needed");
        }
        this.prefix = prefix;
        this.numbered = numbered;
    }

    /** Threads named {@code prefix-1}, {@code prefix-2}, ... */
    public static NamedThreadFactory numbered(String prefix) {
        return new NamedThreadFactory(prefix, true);
    }

    /** Threads all named {@code name}: for an executor of one thread. */
    public static NamedThreadFactory single(String name) {
        return new NamedThreadFactory(name, false);
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = new Thread(task, numbered ? prefix + "-" + count.incrementAndGet() : prefix);
        thread.setDaemon(true);
        return thread;
    }
}
