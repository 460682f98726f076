package io.wasmiot.gateway.update.internal;

import java.nio.file.Path;

/** A jar written to the staging folder: its SHA-256 (lowercase hex), size and bundle identity. */
record StagedJar(Path file, String sha256, long size, String symbolicName, String version) {
}
