package io.wasmiot.agent.internal.mdns;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Answers questions as python-zeroconf 0.47 does ({@code _handlers.py} {@code QueryHandler},
 * {@code _core.py} {@code handle_assembled_query}), by multicast:
 * <ul>
 * <li>a PTR question for {@code _webthing._tcp.local.} gets every announced service (PTR, with
 * SRV, TXT, A and NSEC as additionals), SRV/TXT/ANY questions the instance's, A the host's;</li>
 * <li>known answers with more than half their lifetime left are not repeated; a query with the
 * TC bit waits 400-500 ms for the rest of its known answers from the same sender;</li>
 * <li>timing: an answer to a lone SRV/A/AAAA question goes at once; others after 20-120 ms,
 * gathered; a record multicast less than a second ago waits a second more;</li>
 * <li>a probe (a query with proposed records) is answered at once, and only for the names it
 * proposes that we hold: that is a defence (RFC 6762 §8.1, exempt from the one-second rule), and
 * the probe's browse question is not answered with every service, so thousands of devices
 * probing do not make every other responder send all it has each time;</li>
 * <li>a question from a port other than 5353 (legacy unicast, RFC 6762 §6.7) is also answered
 * to its sender with its id and questions.</li>
 * </ul>
 * Unlike python-zeroconf, a question asking for a unicast answer (QU) is answered by multicast too:
 * several responders share port 5353 on one host and only one of them would get a unicast.
 * Responder thread only.
 */
final class QueryAnswerer {
    static final int DELAY_MIN_MILLIS = 20;
    static final int DELAY_MAX_MILLIS = 120;
    static final long PROTECTED_MILLIS = 1000;
    static final int TC_WAIT_MIN_MILLIS = 400;
    static final int TC_WAIT_MAX_MILLIS = 500;
    private static final long ONE_SECOND = 1_000_000_000L;
    private static final int MAX_DEFERRED_SENDERS = 256;

    /** The services the responder holds. */
    interface Registry {
        Advertised instance(Name name);

        Advertised host(Name name);

        Collection<Advertised> all();
    }

    private record Pending(Advertised entry, Advertised.Kind kind) {
    }

    /** Answers going out together later; {@code entry == null} stands for the service type enumeration. */
    private final class Queue {
        final Set<Pending> answers = new LinkedHashSet<>();
        boolean scheduled;

        void add(Pending pending, long delayMillis) {
            answers.add(pending);
            if (!scheduled) {
                scheduled = true;
                timer.schedule(this::send, delayMillis);
            }
        }

        void send() {
            scheduled = false;
            List<Pending> due = new ArrayList<>(answers);
            answers.clear();
            multicast(due, System.nanoTime());
        }
    }

    private record Deferred(List<Message> messages, int epoch) {
    }

    private final Registry registry;
    private final RecordLifetimes ttl;
    private final Outbox outbox;
    private final Outbox.Timer timer;
    private final BiConsumer<byte[], InetSocketAddress> unicast;
    private final Queue soon = new Queue();
    private final Queue later = new Queue();
    private final Map<InetSocketAddress, Deferred> truncated = new LinkedHashMap<>();
    private long servicesMulticastAt = System.nanoTime() - 2 * ONE_SECOND;
    private int epochs;

    QueryAnswerer(Registry registry, RecordLifetimes ttl, Outbox outbox, Outbox.Timer timer,
                  BiConsumer<byte[], InetSocketAddress> unicast) {
        this.registry = registry;
        this.ttl = ttl;
        this.outbox = outbox;
        this.timer = timer;
        this.unicast = unicast;
    }

    /** A query from {@code sender}: answered now, later, or held for the rest of its known answers. */
    void received(Message query, InetSocketAddress sender, long now) {
        Deferred held = truncated.remove(sender);
        List<Message> messages = new ArrayList<>(held == null ? List.of() : held.messages());
        messages.add(query);
        if (query.getHeader().getFlag(Flags.TC)) {
            int epoch = ++epochs;
            truncated.put(sender, new Deferred(messages, epoch));
            if (truncated.size() > MAX_DEFERRED_SENDERS) {
                truncated.remove(truncated.keySet().iterator().next());
            }
            int wait = ThreadLocalRandom.current().nextInt(TC_WAIT_MIN_MILLIS, TC_WAIT_MAX_MILLIS + 1);
            timer.schedule(() -> {
                Deferred due = truncated.get(sender);
                if (due != null && due.epoch() == epoch) {
                    truncated.remove(sender);
                    answer(due.messages(), sender, System.nanoTime());
                }
            }, wait);
            return;
        }
        answer(messages, sender, now);
    }

    private void answer(List<Message> messages, InetSocketAddress sender, long now) {
        List<Record> proposed = new ArrayList<>();
        List<Record> questions = new ArrayList<>();
        for (Message message : messages) {
            proposed.addAll(message.getSection(Section.AUTHORITY));
            questions.addAll(message.getSection(Section.QUESTION));
        }
        if (!proposed.isEmpty()) {
            defend(proposed, now);
            return;
        }
        if (questions.isEmpty()) {
            return;
        }
        KnownAnswers known = KnownAnswers.of(messages);
        int firstQuestions = messages.get(0).getSection(Section.QUESTION).size();
        boolean legacy = sender.getPort() != MdnsSocket.GROUP.getPort();
        Set<Pending> all = new LinkedHashSet<>();
        for (Record question : questions) {
            int type = question.getType();
            boolean immediateType = type == Type.SRV || type == Type.A || type == Type.AAAA || type == Type.NSEC;
            for (Pending pending : matches(question, known)) {
                all.add(pending);
                if (pending.entry() == null) {
                    boolean recent = now - servicesMulticastAt < ONE_SECOND;
                    (recent ? later : soon).add(pending, delay(recent));
                    continue;
                }
                if (pending.entry().multicastWithin(pending.kind(), ONE_SECOND, now)) {
                    later.add(pending, delay(true)); // RFC 6762 §14: not twice within a second
                } else if (firstQuestions == 1 && immediateType) {
                    outbox.respond(pending.entry().answer(pending.kind(), ttl, now));
                } else {
                    soon.add(pending, delay(false));
                }
            }
        }
        if (legacy && !all.isEmpty()) {
            unicast.accept(legacyAnswer(messages.get(0), questions, all), sender);
        }
    }

    /** Our records for each name a probe proposes (a PTR's target or a record's owner), at once. */
    private void defend(List<Record> proposed, long now) {
        Set<Advertised> defended = new LinkedHashSet<>();
        for (Record record : proposed) {
            Name name = record instanceof PTRRecord ptr && ptr.getName().equals(MdnsNames.SERVICE_TYPE)
                    ? ptr.getTarget() : record.getName();
            Advertised entry = registry.instance(name);
            if (entry != null && entry.state == Advertised.State.ANNOUNCED) {
                defended.add(entry);
            }
        }
        for (Advertised entry : defended) {
            outbox.respond(entry.answer(Advertised.Kind.PTR, ttl, now));
        }
    }

    private static long delay(boolean protectedRecord) {
        long random = ThreadLocalRandom.current().nextInt(DELAY_MIN_MILLIS, DELAY_MAX_MILLIS + 1);
        return protectedRecord ? PROTECTED_MILLIS + random : random;
    }

    /** What answers {@code question}, minus what the querier knows (python-zeroconf's {@code _answer_question}). */
    private List<Pending> matches(Record question, KnownAnswers known) {
        List<Pending> found = new ArrayList<>();
        Name name = question.getName();
        int type = question.getType();
        if (type == Type.PTR && name.equals(MdnsNames.SERVICES)) {
            if (registry.all().stream().anyMatch(e -> e.state == Advertised.State.ANNOUNCED)
                    && !known.suppresses(servicesPointer())) {
                found.add(new Pending(null, null));
            }
            return found;
        }
        if ((type == Type.PTR || type == Type.ANY) && name.equals(MdnsNames.SERVICE_TYPE)) {
            for (Advertised entry : registry.all()) {
                addUnlessKnown(found, entry, Advertised.Kind.PTR, known);
            }
        }
        if (type == Type.A || type == Type.AAAA || type == Type.ANY) {
            Advertised entry = registry.host(name);
            addUnlessKnown(found, entry, type == Type.AAAA ? Advertised.Kind.NSEC : Advertised.Kind.A, known);
        }
        if (type == Type.SRV || type == Type.TXT || type == Type.ANY) {
            Advertised entry = registry.instance(name);
            if (type != Type.TXT) {
                addUnlessKnown(found, entry, Advertised.Kind.SRV, known);
            }
            if (type != Type.SRV) {
                addUnlessKnown(found, entry, Advertised.Kind.TXT, known);
            }
        }
        return found;
    }

    private void addUnlessKnown(List<Pending> found, Advertised entry, Advertised.Kind kind, KnownAnswers known) {
        if (entry != null && entry.state == Advertised.State.ANNOUNCED
                && (known.isEmpty() || !known.suppresses(entry.record(kind, ttl)))) {
            found.add(new Pending(entry, kind));
        }
    }

    private void multicast(List<Pending> due, long now) {
        for (Pending pending : due) {
            if (pending.entry() == null) {
                servicesMulticastAt = now;
                outbox.respond(DatagramPacker.Part.answers(List.of(servicesPointer()), List.of()));
            } else if (pending.entry().state == Advertised.State.ANNOUNCED) {
                outbox.respond(pending.entry().answer(pending.kind(), ttl, now));
            }
        }
    }

    private Record servicesPointer() {
        return new PTRRecord(MdnsNames.SERVICES, DClass.IN, ttl.otherTtl(), MdnsNames.SERVICE_TYPE);
    }

    /** python-zeroconf's {@code construct_outgoing_unicast_answers}: the query's id and questions, then the answers. */
    private byte[] legacyAnswer(Message query, List<Record> questions, Set<Pending> answers) {
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        for (Record question : questions) {
            response.addRecord(Record.newRecord(question.getName(), question.getType(), DClass.IN), Section.QUESTION);
        }
        Set<Record> added = new java.util.HashSet<>();
        for (Pending pending : answers) {
            DatagramPacker.Part part = pending.entry() == null
                    ? DatagramPacker.Part.answers(List.of(servicesPointer()), List.of())
                    : pending.entry().answerPart(pending.kind(), ttl);
            part.answers().stream().filter(added::add).forEach(r -> response.addRecord(r, Section.ANSWER));
            part.additionals().stream().filter(added::add).forEach(r -> response.addRecord(r, Section.ADDITIONAL));
        }
        return response.toWire(DatagramPacker.MAX_BYTES); // what does not fit is cut, with TC set
    }
}
