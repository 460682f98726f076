package io.wasmiot.gateway.store.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/** A gateway's identity: configured, else a UUID generated once and kept in the data folder. */
final class GatewayIds {
    static final String FILE = "gateway-id";
    private static final int MAX_LENGTH = 64; // the lease columns' width

    private GatewayIds() {
    }

    static String resolve(String configured, Path dataDir) {
        if (configured != null && !configured.isBlank()) {
            return check(configured.strip(), "configured gatewayId");
        }
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.isRegularFile(file)) {
                String kept = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!kept.isEmpty()) {
                    return check(kept, file.toString());
                }
            }
            String fresh = UUID.randomUUID().toString();
            Files.createDirectories(dataDir);
            // written whole or not at all: a crash mid-write must not leave an empty identity
            Path temporary = Files.createTempFile(dataDir, FILE, ".tmp");
            Files.writeString(temporary, fresh + "\n", StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return fresh;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the gateway id in " + file + ": " + e.getMessage(), e);
        }
    }

    private static String check(String id, String where) {
        if (id.length() > MAX_LENGTH || id.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(where + ": a gateway id is at most " + MAX_LENGTH
                    + " characters without control characters: " + id);
        }
        return id;
    }
}
