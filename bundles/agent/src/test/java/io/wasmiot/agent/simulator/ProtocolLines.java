package io.wasmiot.agent.simulator;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Collects the simulator's stdout lines as they are written. */
final class ProtocolLines extends OutputStream {
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            lines.add(current.toString(StandardCharsets.UTF_8).replace("\r", ""));
            current.reset();
        } else {
            current.write(b);
        }
    }

    void add(String line) {
        lines.add(line);
    }

    /** The next line, waiting up to {@code timeout}. */
    String next(Duration timeout) throws InterruptedException {
        String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            throw new AssertionError("no line within " + timeout.toMillis() + " ms");
        }
        return line;
    }

    /** Skips lines until one starts with {@code prefix}; returns it. */
    String nextStartingWith(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = lines.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("no line starting with '" + prefix + "' within " + timeout.toMillis() + " ms");
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    boolean isEmpty() {
        return lines.isEmpty();
    }
}
