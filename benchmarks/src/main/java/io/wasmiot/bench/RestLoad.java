package io.wasmiot.bench;

/** REST load figures. */
final class RestLoad {
    int devices, threads;
    long requests, errors, meanBytes;
    double seconds, rps, p50, p99, max, gatewayCpu = Double.NaN;
    String failure;
}
