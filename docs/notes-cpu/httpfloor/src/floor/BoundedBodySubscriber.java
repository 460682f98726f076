package floor;

import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Collects a response body into a byte array of at most {@code maxBytes}. The moment the body
 * would exceed the limit it cancels the subscription (the client then closes the connection)
 * and fails with {@link BodyTooLargeException}: it never holds more than the limit itself, plus
 * the one chunk the client is handing over.
 * <p>
 * Signals arrive serially (Flow rules); only {@link #abandon} comes from another thread, and it
 * touches nothing but the atomic subscription and the completion future.
 */
final class BoundedBodySubscriber implements BodySubscriber<byte[]> {
    private static final byte[] EMPTY = new byte[0];
    private static final int FIRST_CAPACITY = 8192;

    private final int maxBytes;
    private final BodyTooLargeException rejection;
    private final boolean discard;
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
    private byte[] buffer;
    private int size;

    private BoundedBodySubscriber(int maxBytes, int expectedBytes, BodyTooLargeException rejection, boolean discard) {
        this.maxBytes = maxBytes;
        this.rejection = rejection;
        this.discard = discard;
        this.buffer = expectedBytes > 0 ? new byte[Math.min(expectedBytes, maxBytes)] : EMPTY;
    }

    /** Reads up to {@code maxBytes}; {@code expectedBytes} (the Content-Length, or -1) only sizes the buffer. */
    static BoundedBodySubscriber upTo(int maxBytes, long expectedBytes) {
        return new BoundedBodySubscriber(maxBytes, (int) Math.min(Math.max(expectedBytes, -1), maxBytes), null, false);
    }

    /** Reads nothing and fails at once: the declared length is already over the limit. */
    static BoundedBodySubscriber rejecting(int maxBytes) {
        return new BoundedBodySubscriber(maxBytes, -1, new BodyTooLargeException(maxBytes), false);
    }

    /** Reads nothing and completes with an empty body: the status alone decides. */
    static BoundedBodySubscriber discarding() {
        return new BoundedBodySubscriber(0, -1, null, true);
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription newSubscription) {
        Objects.requireNonNull(newSubscription, "subscription");
        if (!subscription.compareAndSet(null, newSubscription)) {
            newSubscription.cancel(); // Flow rule 2.5: at most one subscription
            return;
        }
        if (body.isDone()) {
            newSubscription.cancel(); // abandoned before the body started
        } else if (rejection != null) {
            newSubscription.cancel();
            body.completeExceptionally(rejection);
        } else if (discard) {
            newSubscription.cancel();
            body.complete(EMPTY);
        } else {
            newSubscription.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> chunk) {
        if (body.isDone()) {
            return;
        }
        long incoming = 0;
        for (ByteBuffer part : chunk) {
            incoming += part.remaining();
        }
        if (size + incoming > maxBytes) {
            // Checked before copying: the buffer never grows past the limit.
            buffer = EMPTY;
            // Cancel before failing, so the client has stopped reading before anyone reacts to the failure.
            subscription.get().cancel();
            body.completeExceptionally(new BodyTooLargeException(maxBytes));
            return;
        }
        ensureCapacity(size + (int) incoming);
        for (ByteBuffer part : chunk) {
            int length = part.remaining();
            part.get(buffer, size, length);
            size += length;
        }
        subscription.get().request(1);
    }

    @Override
    public void onError(Throwable error) {
        buffer = EMPTY;
        body.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        body.complete(size == buffer.length ? buffer : Arrays.copyOf(buffer, size));
    }

    /** Stops reading from any thread (the deadline passed): cancels the subscription and fails the body. */
    void abandon(Throwable reason) {
        body.completeExceptionally(reason);
        Flow.Subscription current = subscription.get();
        if (current != null) {
            current.cancel();
        }
    }

    /** Bytes of buffer currently held (tests check it never exceeds the limit). */
    int bufferCapacity() {
        return buffer.length;
    }

    private void ensureCapacity(int needed) {
        if (needed > buffer.length) {
            int grown = Math.max(needed, Math.max(FIRST_CAPACITY, buffer.length * 2));
            buffer = Arrays.copyOf(buffer, Math.min(grown, maxBytes));
        }
    }
}
