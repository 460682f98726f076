package io.wasmiot.gateway.update.internal;

/** An update refused before anything changed: the reason goes to the caller and the journal. */
final class UpdateRefused extends Exception {
    private static final long serialVersionUID = 1L;

    /** What kind of refusal: the REST status follows from it. */
    enum Kind { BAD_REQUEST, TOO_LARGE, BUSY, CONFLICT, MISCONFIGURED }

    final Kind kind;

    UpdateRefused(Kind kind, String reason) {
        super(reason);
        this.kind = kind;
    }
}
