package io.wasmiot.gateway.probe.internal;

/** What to ask: method and path, optional JSON body and X-Forwarded-For, body limit, and whether any 2xx succeeds. */
record Query(String method, String path, byte[] body, String forwardedFor, int maxBodyBytes,
             boolean anySuccessStatus) {
}
