package io.wasmiot.gateway.mdns.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.net.DatagramPacket;
import java.util.List;

import javax.jmdns.impl.DNSIncoming;
import javax.jmdns.impl.DNSQuestion;
import javax.jmdns.impl.constants.DNSRecordClass;
import javax.jmdns.impl.constants.DNSRecordType;

import org.junit.Test;

/** The hand-built browse query, read back by jmdns's own parser (what every jmdns responder does with it). */
public class BrowseQueryTest {

    @Test
    public void jmdnsReadsOneMulticastPtrQuestionForTheType() throws Exception {
        byte[] bytes = BrowseQuery.packet(MdnsBrowser.SERVICE_TYPE);
        DNSIncoming message = new DNSIncoming(new DatagramPacket(bytes, bytes.length, BrowseQuery.MDNS_IPV4));

        assertTrue(message.isQuery());
        assertEquals(0, message.getId());
        List<? extends DNSQuestion> questions = List.copyOf(message.getQuestions());
        assertEquals(1, questions.size());
        DNSQuestion question = questions.get(0);
        assertEquals("_webthing._tcp.local.", question.getName());
        assertEquals(DNSRecordType.TYPE_PTR, question.getRecordType());
        assertEquals(DNSRecordClass.CLASS_IN, question.getRecordClass());
        assertFalse("answers multicast (QM), not unicast", question.isUnique());
        assertEquals("no answers, authorities or additionals", 0,
                message.getAnswers().size() + message.getAuthorities().size() + message.getAdditionals().size());
        assertEquals(5353, BrowseQuery.MDNS_IPV4.getPort());
        assertEquals("224.0.0.251", BrowseQuery.MDNS_IPV4.getAddress().getHostAddress());
    }

    @Test
    public void aNameThatIsNotADnsNameIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> BrowseQuery.packet("a..local."));
        assertThrows(IllegalArgumentException.class, () -> BrowseQuery.packet("x".repeat(64) + ".local."));
    }
}
