package io.wasmiot.agent.internal.mdns;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;

import io.wasmiot.agent.internal.NetworkAddresses;

/** The responder's parts that need no socket. */
public class MdnsPiecesTest {
    private static ServiceRecords service(String name) {
        return ServiceRecords.of(name, 40000, NetworkAddresses.parseIpv4("127.0.0.1"),
                List.of("path=/".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    public void namesKeepTheirBytesWhateverTheyHold() throws IOException {
        String odd = "dotted.name \"q\" \u8a2d\u5099";
        Message message = new Message();
        message.addRecord(service(odd).ptr(4500), Section.ANSWER);

        Record back = new Message(message.toWire()).getSection(Section.ANSWER).get(0);
        assertEquals(odd, MdnsNames.firstLabel(((PTRRecord) back).getTarget()));
        assertEquals("one label (then _webthing, _tcp, local, root), not three", 5, ((PTRRecord) back).getTarget().labels());
        assertTrue(MdnsNames.fits("L".repeat(63)));
        assertFalse(MdnsNames.fits("L".repeat(64)));
        assertThrows(IllegalArgumentException.class, () -> MdnsNames.instance("L".repeat(64)));
    }

    @Test
    public void txtBytesTravelAsGiven() throws IOException {
        byte[] invalidUtf8 = {'b', 'a', 'd', '=', (byte) 0xff, (byte) 0xfe};
        ServiceRecords records = ServiceRecords.of("t", 1, NetworkAddresses.parseIpv4("127.0.0.1"),
                List.of(invalidUtf8, "k=".concat("v".repeat(253)).getBytes(StandardCharsets.UTF_8)));
        Message message = new Message();
        message.addRecord(records.txt(4500), Section.ANSWER);

        TXTRecord back = (TXTRecord) new Message(message.toWire()).getSection(Section.ANSWER).get(0);
        assertEquals(List.of(ByteBuffer.wrap(invalidUtf8), ByteBuffer.wrap(("k=" + "v".repeat(253)).getBytes())),
                back.getStringsAsByteArrays().stream().map(ByteBuffer::wrap).toList());
        assertThrows(IllegalArgumentException.class, () -> ServiceRecords.of("t", 1,
                NetworkAddresses.parseIpv4("127.0.0.1"), List.of(new byte[256])));
    }

    /** {@code count} services' answers (PTR, with SRV, TXT, A and NSEC as additionals), named {@code prefix0000}... */
    private static List<DatagramPacker.Part> answers(String prefix, int count) throws IOException {
        List<DatagramPacker.Part> parts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ServiceRecords records = service(String.format("%s%04d", prefix, i));
            parts.add(DatagramPacker.Part.answers(List.of(records.ptr(4500)),
                    List.of(records.srv(120), records.txt(4500), records.a(120), records.nsec(4500))));
        }
        return parts;
    }

    @Test
    public void packingKeepsEachPartWholeAndEachDatagramWithinTheBound() throws IOException {
        List<DatagramPacker.Part> parts = answers("packed-device-", 1000);

        List<byte[]> datagrams = DatagramPacker.responses(parts, Integer.MAX_VALUE);

        Set<String> names = new HashSet<>();
        int bytes = 0;
        for (byte[] datagram : datagrams) {
            assertTrue(datagram.length + " bytes", datagram.length <= DatagramPacker.MAX_BYTES);
            bytes += datagram.length;
            Message message = new Message(datagram);
            for (Record answer : message.getSection(Section.ANSWER)) {
                names.add(MdnsNames.firstLabel(((PTRRecord) answer).getTarget()));
            }
            assertEquals("each PTR with its four additionals", 4 * message.getSection(Section.ANSWER).size(),
                    message.getSection(Section.ADDITIONAL).size());
        }
        assertEquals(1000, names.size());
        assertTrue(datagrams.size() + " datagrams for " + bytes + " bytes",
                datagrams.size() <= bytes / DatagramPacker.MAX_BYTES + 2);
    }

    @Test
    public void oneServiceADatagramSendsEachServicesRecordsAlone() throws IOException {
        List<DatagramPacker.Part> parts = answers("lone-device-", 50);

        List<byte[]> datagrams = DatagramPacker.responses(parts, 1);

        assertEquals("a datagram a service, as separate hosts send them", 50, datagrams.size());
        for (int i = 0; i < 50; i++) {
            Message message = new Message(datagrams.get(i));
            assertEquals(1, message.getSection(Section.ANSWER).size());
            assertEquals(String.format("lone-device-%04d", i),
                    MdnsNames.firstLabel(((PTRRecord) message.getSection(Section.ANSWER).get(0)).getTarget()));
            assertEquals(4, message.getSection(Section.ADDITIONAL).size());
        }
        assertEquals("three services a datagram", 17, DatagramPacker.responses(parts, 3).size());
    }

    @Test
    public void probesCarryTheTypeQuestionAndARandomId() throws IOException {
        List<byte[]> probes = DatagramPacker.probes(List.of(DatagramPacker.Part.proposed(List.of(service("p").ptr(4500)))), Integer.MAX_VALUE);

        Message probe = new Message(probes.get(0));
        assertEquals(MdnsNames.SERVICE_TYPE, probe.getQuestion().getName());
        assertEquals("QU", DClass.IN | 0x8000, probe.getQuestion().getDClass());
        assertEquals(1, probe.getSection(Section.AUTHORITY).size());
        Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            ids.add(new Message(DatagramPacker.probes(List.of(DatagramPacker.Part.proposed(
                    List.of(service("p").ptr(4500)))), Integer.MAX_VALUE).get(0)).getHeader().getID());
        }
        assertTrue("random ids, so another host's identical probe is not taken for our own", ids.size() > 10);
    }

    @Test
    public void ownEchoesAreRecognizedForAWhile() {
        OwnEchoes echoes = new OwnEchoes();
        byte[] sent = {1, 2, 3, 4};
        echoes.sent(sent, 0);

        assertTrue(echoes.isOwn(ByteBuffer.wrap(sent.clone()), 1_000_000_000L));
        assertFalse(echoes.isOwn(ByteBuffer.wrap(new byte[] {1, 2, 3, 5}), 1_000_000_000L));
        assertFalse("forgotten after 3 s", echoes.isOwn(ByteBuffer.wrap(sent), OwnEchoes.KEEP_NANOS + 1));
    }

    @Test
    public void renamingKeepsTheLabelWithinSixtyThreeBytes() {
        assertEquals("taken (2)", ServiceTable.renamed("taken", 2));
        String renamed = ServiceTable.renamed("\u8a2d".repeat(21), 12); // 63 bytes of 3-byte characters
        assertTrue(renamed, renamed.getBytes(StandardCharsets.UTF_8).length <= 63);
        assertTrue(renamed.endsWith(" (12)"));
    }

    @Test
    public void aLabelOverSixtyThreeBytesMakesADatagramNoParserAccepts() {
        byte[] corrupt = new CorruptAnnouncement("X".repeat(200)).datagram(4500);

        assertThrows(IOException.class, () -> new Message(corrupt));
        assertThrows(IllegalArgumentException.class, () -> new CorruptAnnouncement("X".repeat(256)));
    }
}
