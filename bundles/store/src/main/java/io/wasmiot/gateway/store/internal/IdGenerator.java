package io.wasmiot.gateway.store.internal;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Device {@code _id}s in the reference orchestrator's shape (a MongoDB ObjectId: 24 lowercase hex):
 * 4 bytes of epoch seconds, then 8 random bytes.
 */
final class IdGenerator {
    private final SecureRandom random = new SecureRandom();

    String next() {
        byte[] bytes = new byte[12];
        int seconds = (int) (System.currentTimeMillis() / 1000);
        bytes[0] = (byte) (seconds >>> 24);
        bytes[1] = (byte) (seconds >>> 16);
        bytes[2] = (byte) (seconds >>> 8);
        bytes[3] = (byte) seconds;
        byte[] tail = new byte[8];
        random.nextBytes(tail);
        System.arraycopy(tail, 0, bytes, 4, 8);
        return HexFormat.of().formatHex(bytes);
    }
}
