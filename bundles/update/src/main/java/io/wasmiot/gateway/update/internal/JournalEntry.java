package io.wasmiot.gateway.update.internal;

/**
 * One line of the update journal: a step of one update ({@code update} is its id). Hashes are
 * SHA-256 in lowercase hex; {@code null} where a step does not know the value (a refused upload has
 * no old version). {@code decisionMillis} is the time from the apply to the commit or rollback.
 */
public record JournalEntry(String time, String update, Step step, String who, String bundle,
                           String oldVersion, String oldSha256, String newVersion, String newSha256,
                           String reason, Long decisionMillis) {

    public enum Step {
        /** Written (and forced to disk) before the bundle changes: without a later step, it was interrupted. */
        APPLYING,
        COMMITTED,
        ROLLED_BACK,
        /** The previous jar could not be put back: the operator has to act (the reason says what is running). */
        ROLLBACK_FAILED,
        REFUSED;

        boolean isFinal() {
            return this != APPLYING;
        }
    }

    JournalEntry next(String time, Step nextStep, String nextReason, Long millis) {
        return new JournalEntry(time, update, nextStep, who, bundle, oldVersion, oldSha256, newVersion, newSha256,
                nextReason, millis);
    }
}
