package io.wasmiot.gateway.probe.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeoutException;

import org.junit.Test;

public class BoundedBodySubscriberTest {
    private static final int LIMIT = 100;

    /** Records what the subscriber asks of the client. */
    private static final class RecordingSubscription implements Flow.Subscription {
        long requested;
        boolean cancelled;

        @Override
        public void request(long n) {
            requested += n;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    @Test
    public void collectsABodyUpToExactlyTheLimit() throws Exception {
        BoundedBodySubscriber subscriber = BoundedBodySubscriber.upTo(LIMIT, -1);
        RecordingSubscription subscription = subscribe(subscriber);

        subscriber.onNext(List.of(bytes(60, 'a')));
        subscriber.onNext(List.of(bytes(30, 'b'), bytes(10, 'c')));
        subscriber.onComplete();

        byte[] body = subscriber.getBody().toCompletableFuture().get();
        assertEquals(LIMIT, body.length);
        assertEquals('a', body[0]);
        assertEquals('c', body[LIMIT - 1]);
        assertEquals(3, subscription.requested);
        assertFalse(subscription.cancelled);
    }

    @Test
    public void stopsAndFailsTheMomentTheBodyWouldExceedTheLimit() {
        BoundedBodySubscriber subscriber = BoundedBodySubscriber.upTo(LIMIT, -1);
        RecordingSubscription subscription = subscribe(subscriber);

        subscriber.onNext(List.of(bytes(LIMIT, 'a')));
        assertTrue(subscriber.bufferCapacity() <= LIMIT);
        long requestedBefore = subscription.requested;
        subscriber.onNext(List.of(bytes(1, 'b')));

        assertTrue(subscription.cancelled);
        assertEquals("no more data asked for after the limit", requestedBefore, subscription.requested);
        assertEquals("the buffer is released", 0, subscriber.bufferCapacity());
        assertFailedWith(subscriber, BodyTooLargeException.class);
        subscriber.onNext(List.of(bytes(50, 'c'))); // late chunks are ignored
        assertEquals(0, subscriber.bufferCapacity());
    }

    @Test
    public void neverHoldsMoreThanTheLimitWhateverTheChunking() {
        BoundedBodySubscriber subscriber = BoundedBodySubscriber.upTo(LIMIT, 1_000_000);
        RecordingSubscription subscription = subscribe(subscriber);
        int maxCapacity = 0;
        for (int i = 0; i < 1000 && !subscription.cancelled; i++) {
            subscriber.onNext(List.of(bytes(7, 'x')));
            maxCapacity = Math.max(maxCapacity, subscriber.bufferCapacity());
        }
        assertTrue(subscription.cancelled);
        assertTrue("held " + maxCapacity, maxCapacity <= LIMIT);
        assertFailedWith(subscriber, BodyTooLargeException.class);
    }

    @Test
    public void aRejectingSubscriberReadsNothing() {
        BoundedBodySubscriber subscriber = BoundedBodySubscriber.rejecting(LIMIT);
        RecordingSubscription subscription = subscribe(subscriber);
        assertTrue(subscription.cancelled);
        assertEquals(0, subscription.requested);
        assertFailedWith(subscriber, BodyTooLargeException.class);
    }

    @Test
    public void aDiscardingSubscriberReadsNothingAndSucceedsEmpty() throws Exception {
        BoundedBodySubscriber subscriber = BoundedBodySubscriber.discarding();
        RecordingSubscription subscription = subscribe(subscriber);
        assertTrue(subscription.cancelled);
        assertEquals(0, subscription.requested);
        assertArrayEquals(new byte[0], subscriber.getBody().toCompletableFuture().get());
    }

    @Test
    public void abandoningCancelsNowOrAtSubscription() {
        BoundedBodySubscriber reading = BoundedBodySubscriber.upTo(LIMIT, -1);
        RecordingSubscription subscription = subscribe(reading);
        reading.abandon(new TimeoutException());
        assertTrue(subscription.cancelled);
        assertFailedWith(reading, TimeoutException.class);

        BoundedBodySubscriber notStarted = BoundedBodySubscriber.upTo(LIMIT, -1);
        notStarted.abandon(new TimeoutException());
        RecordingSubscription late = subscribe(notStarted);
        assertTrue(late.cancelled);
        assertEquals(0, late.requested);
    }

    private static RecordingSubscription subscribe(BoundedBodySubscriber subscriber) {
        RecordingSubscription subscription = new RecordingSubscription();
        subscriber.onSubscribe(subscription);
        return subscription;
    }

    private static ByteBuffer bytes(int count, char fill) {
        byte[] data = new byte[count];
        java.util.Arrays.fill(data, (byte) fill);
        return ByteBuffer.wrap(data);
    }

    private static void assertFailedWith(BoundedBodySubscriber subscriber, Class<? extends Throwable> type) {
        CompletableFuture<byte[]> body = subscriber.getBody().toCompletableFuture();
        assertTrue(body.isCompletedExceptionally());
        try {
            body.get();
        } catch (ExecutionException e) {
            assertTrue(String.valueOf(e.getCause()), type.isInstance(e.getCause()));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
