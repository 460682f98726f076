package floor;

/** A request that was waiting or in flight when the prober was deactivated. */
final class ProberStoppedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    ProberStoppedException() {
        super("prober stopped");
    }
}
