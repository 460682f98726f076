package floor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * At most {@code maxInFlight} asynchronous requests running at once; the excess waits in a FIFO
 * line and is started by whichever request finishes, so no caller thread ever blocks. Every
 * caller has at most one request in line at a time (addresses are tried one after another), so a
 * slow device holds at most one slot per call, for at most one deadline.
 */
final class RequestLimiter {
    private final int maxInFlight;
    private final Deque<Waiting<?>> waiting = new ArrayDeque<>();
    private int inFlight;
    private boolean closed;

    RequestLimiter(int maxInFlight) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight < 1: " + maxInFlight);
        }
        this.maxInFlight = maxInFlight;
    }

    /**
     * Starts {@code request} now if a slot is free, else when one frees up. The returned future
     * completes as the request's does, or with {@link ProberStoppedException} if the limiter is
     * closed before the request started.
     */
    <T> CompletableFuture<T> submit(Supplier<? extends CompletionStage<T>> request) {
        Waiting<T> task = new Waiting<>(request);
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new ProberStoppedException());
            }
            if (inFlight >= maxInFlight) {
                waiting.add(task);
                return task.result;
            }
            inFlight++;
        }
        runFrom(task);
        return task.result;
    }

    /** Fails every request still waiting; requests in flight finish (or are cancelled) on their own. */
    void close() {
        List<Waiting<?>> dropped;
        synchronized (this) {
            closed = true;
            dropped = new ArrayList<>(waiting);
            waiting.clear();
        }
        for (Waiting<?> task : dropped) {
            task.result.completeExceptionally(new ProberStoppedException());
        }
    }

    synchronized int inFlight() {
        return inFlight;
    }

    synchronized int waiting() {
        return waiting.size();
    }

    /**
     * Runs {@code first} in the slot the caller holds, then, as long as requests finish
     * synchronously (e.g. an address rejected before any I/O), the next waiting ones in the same
     * slot: a loop rather than recursion, so a long line of such requests cannot overflow the stack.
     */
    private void runFrom(Waiting<?> first) {
        for (Waiting<?> task = first; task != null; task = nextOrRelease()) {
            CompletableFuture<?> running = task.start();
            if (!running.isDone()) {
                running.whenComplete((value, error) -> runFrom(nextOrRelease()));
                return;
            }
        }
    }

    /** The slot passes to the next waiting request, or is given back. */
    private synchronized Waiting<?> nextOrRelease() {
        Waiting<?> next = waiting.poll();
        if (next == null) {
            inFlight--;
        }
        return next;
    }

    private static final class Waiting<T> {
        final Supplier<? extends CompletionStage<T>> request;
        final CompletableFuture<T> result = new CompletableFuture<>();

        Waiting(Supplier<? extends CompletionStage<T>> request) {
            this.request = request;
        }

        CompletableFuture<T> start() {
            CompletableFuture<T> running;
            try {
                running = request.get().toCompletableFuture();
            } catch (RuntimeException e) {
                running = CompletableFuture.failedFuture(e);
            }
            running.whenComplete((value, error) -> {
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    result.complete(value);
                }
            });
            return running;
        }
    }
}
