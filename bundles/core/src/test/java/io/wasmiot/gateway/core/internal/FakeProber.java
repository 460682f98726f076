package io.wasmiot.gateway.core.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.wasmiot.gateway.api.DeviceProber;
import io.wasmiot.gateway.api.model.Communication;
import io.wasmiot.gateway.api.model.ProbeResult;

/**
 * A {@link DeviceProber} whose answers the test decides: by default every device describes itself and
 * is healthy at its first address, at once. Every call is recorded, in order.
 */
final class FakeProber implements DeviceProber {
    static final String DESCRIPTION = "{\"platform\":{\"memory\":{\"bytes\":1}},\"supervisorInterfaces\":[]}";
    static final String REPORT = "{\"cpuUsage\":0.1,\"memoryUsage\":0.2}";

    record Call(String kind, Communication target, String argument, long nanos) {
    }

    final List<Call> calls = new CopyOnWriteArrayList<>();
    volatile Function<Communication, CompletionStage<ProbeResult>> describe =
            target -> done(ok(DESCRIPTION, target.addresses().get(0)));
    volatile BiFunction<Communication, String, CompletionStage<ProbeResult>> health =
            (target, forwardedFor) -> done(ok(REPORT, target.addresses().get(0)));
    volatile Function<Communication, CompletionStage<ProbeResult>> tell =
            target -> done(ok("{\"status\":\"success\"}", target.addresses().get(0)));

    @Override
    public CompletionStage<ProbeResult> describe(Communication target) {
        calls.add(new Call("describe", target, null, System.nanoTime()));
        return describe.apply(target);
    }

    @Override
    public CompletionStage<ProbeResult> checkHealth(Communication target, String forwardedFor) {
        calls.add(new Call("health", target, forwardedFor, System.nanoTime()));
        return health.apply(target, forwardedFor);
    }

    @Override
    public CompletionStage<ProbeResult> tellGateway(Communication target, String address, String gatewayUrl) {
        calls.add(new Call("tell", target, address + " " + gatewayUrl, System.nanoTime()));
        return tell.apply(target);
    }

    List<Call> calls(String kind) {
        return calls.stream().filter(c -> c.kind().equals(kind)).collect(Collectors.toList());
    }

    /** Calls of that kind to a device at that port. */
    List<Call> calls(String kind, int port) {
        return calls.stream().filter(c -> c.kind().equals(kind) && c.target().port() == port)
                .collect(Collectors.toList());
    }

    static ProbeResult ok(String body, String address) {
        return new ProbeResult(body, address, List.of(), null, true, Duration.ofMillis(1));
    }

    static ProbeResult ok(String body, String address, List<String> failedAddresses, boolean orchestratorSet) {
        return new ProbeResult(body, address, failedAddresses, null, orchestratorSet, Duration.ofMillis(1));
    }

    /** A failure that reached the device (refused, HTTP 500, not JSON): not the network's fault. */
    static ProbeResult failure(String why, List<String> tried) {
        return new ProbeResult(null, null, tried, why, false, Duration.ofMillis(1));
    }

    /** No address could be connected to: what a fault of the gateway's own network looks like. */
    static ProbeResult unreachable(String why, List<String> tried) {
        return new ProbeResult(null, null, tried, why, false, Duration.ofMillis(1), true);
    }

    static CompletionStage<ProbeResult> done(ProbeResult result) {
        return CompletableFuture.completedFuture(result);
    }
}
