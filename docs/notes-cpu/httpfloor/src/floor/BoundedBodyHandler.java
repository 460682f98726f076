package floor;

import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.ResponseInfo;
import java.util.OptionalLong;
import java.util.function.IntPredicate;

/**
 * One per request. Reads the body only for a status that can succeed, rejects a declared
 * Content-Length over the limit before reading anything, and remembers the status so a failure
 * while reading the body can still be judged by it.
 */
final class BoundedBodyHandler implements BodyHandler<byte[]> {
    private final int maxBytes;
    private final IntPredicate bodyWanted;
    private volatile int status = -1;
    private volatile BoundedBodySubscriber subscriber;
    private volatile Throwable abandonedBecause;

    BoundedBodyHandler(int maxBytes, IntPredicate bodyWanted) {
        this.maxBytes = maxBytes;
        this.bodyWanted = bodyWanted;
    }

    @Override
    public BodySubscriber<byte[]> apply(ResponseInfo response) {
        status = response.statusCode();
        BoundedBodySubscriber created;
        if (!bodyWanted.test(response.statusCode())) {
            created = BoundedBodySubscriber.discarding();
        } else {
            long declared = declaredLength(response);
            created = declared > maxBytes
                    ? BoundedBodySubscriber.rejecting(maxBytes)
                    : BoundedBodySubscriber.upTo(maxBytes, declared);
        }
        subscriber = created;
        Throwable reason = abandonedBecause;
        if (reason != null) {
            created.abandon(reason); // the deadline passed while the headers were being parsed
        }
        return created;
    }

    /** Stops reading the body, now or as soon as it starts. */
    void abandon(Throwable reason) {
        abandonedBecause = reason;
        BoundedBodySubscriber current = subscriber;
        if (current != null) {
            current.abandon(reason);
        }
    }

    /** The response status, or -1 before the headers arrived. */
    int status() {
        return status;
    }

    private static long declaredLength(ResponseInfo response) {
        try {
            OptionalLong length = response.headers().firstValueAsLong("Content-Length");
            return length.orElse(-1);
        } catch (NumberFormatException e) {
            return -1; // the client rejects a malformed length itself; the body limit still holds
        }
    }
}
