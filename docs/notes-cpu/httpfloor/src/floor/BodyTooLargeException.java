package floor;

import java.io.IOException;

/** A response body (declared or received) above the configured limit. */
final class BodyTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int limit;

    BodyTooLargeException(int limit) {
        super("body over " + limit + " bytes");
        this.limit = limit;
    }

    int limit() {
        return limit;
    }
}
