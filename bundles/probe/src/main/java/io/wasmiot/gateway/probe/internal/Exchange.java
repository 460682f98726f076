package io.wasmiot.gateway.probe.internal;

import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

/** A request on the wire: what to cancel when its deadline passes or the prober stops. */
record Exchange(CompletableFuture<HttpResponse<byte[]>> sent, BoundedBodyHandler handler) {
    void abort(Throwable reason) {
        handler.abandon(reason);
        sent.cancel(true); // since Java 16 this also aborts the exchange and closes its connection
    }
}
