package io.wasmiot.gateway.update.internal;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * Reads and drops what a client still sends of an upload after its answer is written. A socket
 * closed with unread bytes sends a reset instead of a close, and the reset can destroy the answer
 * before the client reads it (RFC 9112 §9.6, "tear-down"): a client uploading a jar without its
 * token then sees a broken connection instead of its 401. Bounded in bytes and in time; past
 * either, the connection is closed as before.
 */
final class UnreadUpload {
    /** How long a refused upload may keep the request thread reading; one blocked read is bounded by the connector's idle timeout. */
    static final Duration TIME_BOUND = Duration.ofSeconds(10);

    private UnreadUpload() {
    }

    /**
     * Reads {@code body} to its end and drops it, stopping early after {@code maxBytes} or once
     * {@code timeBound} has passed; returns how many bytes were dropped, or -1 if it stopped early.
     */
    static long drop(InputStream body, long maxBytes, Duration timeBound) throws IOException {
        long deadline = System.nanoTime() + timeBound.toNanos();
        byte[] buffer = new byte[16 * 1024];
        long dropped = 0;
        for (int read; (read = body.read(buffer)) >= 0; ) {
            dropped += read;
            if (dropped > maxBytes || System.nanoTime() - deadline > 0) {
                return -1;
            }
        }
        return dropped;
    }
}
