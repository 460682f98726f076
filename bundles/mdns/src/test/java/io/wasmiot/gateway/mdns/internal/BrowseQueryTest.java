package io.wasmiot.gateway.mdns.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

public class BrowseQueryTest {

    private static List<Record> known(int count) {
        List<Record> known = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            known.add(new PTRRecord(ServiceCache.SERVICE_TYPE, DClass.IN, 4000, Wire.instance("supervisor-" + i)));
        }
        return known;
    }

    @Test
    public void withNothingKnownItIsOneQuestionInOneDatagram() {
        List<Message> datagrams = BrowseQuery.datagrams(List.of());
        assertEquals(1, datagrams.size());
        Message only = datagrams.get(0);
        assertEquals(ServiceCache.SERVICE_TYPE, only.getQuestion().getName());
        assertEquals(Type.PTR, only.getQuestion().getType());
        assertFalse(only.getHeader().getFlag(Flags.QR));
        assertFalse(only.getHeader().getFlag(Flags.TC));
        assertTrue(only.getSection(Section.ANSWER).isEmpty());
    }

    @Test
    public void aLongKnownAnswerListIsSplitIntoDatagramsThatFitEthernetWithTcOnAllButTheLast() throws Exception {
        List<Record> known = known(500);
        List<Message> datagrams = BrowseQuery.datagrams(known);
        assertTrue("500 known answers need several datagrams: " + datagrams.size(), datagrams.size() > 5);
        List<Record> carried = new ArrayList<>();
        for (int i = 0; i < datagrams.size(); i++) {
            Message datagram = Wire.wire(datagrams.get(i)); // as a responder parses it
            assertTrue("datagram " + i + " is " + datagrams.get(i).toWire().length + " bytes",
                    datagrams.get(i).toWire().length <= BrowseQuery.MAX_DATAGRAM_BYTES);
            assertEquals("TC on every datagram but the last", i < datagrams.size() - 1,
                    datagram.getHeader().getFlag(Flags.TC));
            assertEquals("the question only in the first", i == 0 ? 1 : 0, datagram.getSection(Section.QUESTION).size());
            carried.addAll(datagram.getSection(Section.ANSWER));
        }
        assertEquals(known, carried);
    }
}
