package io.wasmiot.gateway.mdns.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Questions for what the cache lacks: an instance known only by its PTR (or by its probes: its
 * announcements may have been lost) gets a question for its records, an SRV whose target has no address gets one for the target's. Questions
 * wait {@link #FIRST_DELAY_MILLIS} (the rest of an announcement may be on its way), go out together
 * in as few datagrams as fit, and are asked {@link #ATTEMPTS} times at most, 1 s, 2 s, then 4 s
 * apart (RFC 6762 §5.2).
 *
 * <p>Not thread safe: used with the browser's monitor held; {@code later} runs tasks the same way.
 */
final class Resolution {
    static final long FIRST_DELAY_MILLIS = 100;
    /**
     * After a probe: a responder announces within about a second of its first probe, and in a
     * burst the announcements of hundreds are read seconds later; asking sooner only made a burst
     * longer (docs/notes-code.md). Asked this late, only what the link really lost is asked for.
     */
    static final long AFTER_PROBE_MILLIS = 5000;
    static final int ATTEMPTS = 4;
    static final int QUESTIONS_PER_DATAGRAM = 60;

    private static final class Pending {
        Name target;
        int attempts;
        long dueNanos;
    }

    private final Consumer<Message> send;
    private final BiFunction<Runnable, Long, ScheduledFuture<?>> later;
    private final Map<Name, Pending> pending = new LinkedHashMap<>();
    private ScheduledFuture<?> flush;
    private long flushDueNanos;

    Resolution(Consumer<Message> send, BiFunction<Runnable, Long, ScheduledFuture<?>> later) {
        this.send = send;
        this.later = later;
    }

    /**
     * Asks for {@code instance}'s records, or, when {@code target} is given, for that target's
     * addresses. A question already waiting keeps its schedule.
     */
    void ask(Name instance, Name target) {
        ask(instance, target, FIRST_DELAY_MILLIS);
    }

    /**
     * As {@link #ask(Name, Name)}, the first question after {@code delayMillis}: a name heard only in a
     * probe is asked for once its owner has had time to announce it (a responder answers no question
     * for a name it is still probing).
     */
    void ask(Name instance, Name target, long delayMillis) {
        Pending waiting = pending.get(instance);
        if (waiting != null) {
            waiting.target = target;
            return;
        }
        Pending fresh = new Pending();
        fresh.target = target;
        fresh.dueNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis);
        pending.put(instance, fresh);
        schedule(fresh.dueNanos);
    }

    /**
     * Asks now every question not asked yet, above all the names heard only in probes: a burst has
     * gone quiet, so what it has not announced by now was lost, and waiting out
     * {@link #AFTER_PROBE_MILLIS} only delays it (each question keeps its own 1 s, 2 s, 4 s schedule
     * from here, RFC 6762 §5.2).
     * @return how many questions were brought forward
     */
    int askProbedNow() {
        long now = System.nanoTime();
        int brought = 0;
        for (Pending question : pending.values()) {
            if (question.attempts == 0 && question.dueNanos - now > 0) {
                question.dueNanos = now;
                brought++;
            }
        }
        if (brought > 0) {
            schedule(now);
        }
        return brought;
    }

    /** The instance is complete (or gone): nothing to ask. */
    void cancel(Name instance) {
        pending.remove(instance);
    }

    int pending() {
        return pending.size();
    }

    private void schedule(long dueNanos) {
        if (flush != null && flushDueNanos - dueNanos <= 0) {
            return; // an earlier flush will see it
        }
        if (flush != null) {
            flush.cancel(false);
        }
        flushDueNanos = dueNanos;
        long delay = Math.max(0, TimeUnit.NANOSECONDS.toMillis(dueNanos - System.nanoTime()));
        flush = later.apply(this::flush, delay);
    }

    private void flush() {
        flush = null;
        long now = System.nanoTime();
        List<Record> questions = new ArrayList<>();
        long nextDue = Long.MAX_VALUE;
        boolean anyLeft = false;
        for (Iterator<Map.Entry<Name, Pending>> it = pending.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Name, Pending> entry = it.next();
            Pending question = entry.getValue();
            if (question.dueNanos - now > 0) {
                nextDue = anyLeft ? Math.min(nextDue, question.dueNanos) : question.dueNanos;
                anyLeft = true;
                continue;
            }
            questions.add(question.target != null
                    ? Record.newRecord(question.target, Type.A, DClass.IN)
                    : Record.newRecord(entry.getKey(), Type.ANY, DClass.IN));
            question.attempts++;
            if (question.attempts >= ATTEMPTS) {
                it.remove();
            } else {
                question.dueNanos = now + TimeUnit.SECONDS.toNanos(1L << (question.attempts - 1));
                nextDue = anyLeft ? Math.min(nextDue, question.dueNanos) : question.dueNanos;
                anyLeft = true;
            }
        }
        for (int from = 0; from < questions.size(); from += QUESTIONS_PER_DATAGRAM) {
            Message query = new Message(0);
            for (Record question : questions.subList(from, Math.min(questions.size(), from + QUESTIONS_PER_DATAGRAM))) {
                query.addRecord(question, Section.QUESTION);
            }
            send.accept(query);
        }
        if (anyLeft) {
            schedule(nextDue);
        }
    }
}
