package io.wasmiot.bench;

import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.Test;

/** The DNS reader of the on-the-wire floor; no socket is opened. */
public class WireListenerTest {
    private static void name(ByteArrayOutputStream out, String... labels) {
        for (String l : labels) {
            byte[] b = l.getBytes(StandardCharsets.UTF_8);
            out.write(b.length);
            out.writeBytes(b);
        }
        out.write(0);
    }

    private static void u16(ByteArrayOutputStream out, int v) {
        out.write(v >> 8);
        out.write(v & 0xff);
    }

    @Test
    public void readsTheInstanceOfEachSrvRecordOfAResponseWithCompressedNames() {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        u16(p, 0);
        u16(p, 0x8400); // response, authoritative
        u16(p, 0);
        u16(p, 2); // answers: a PTR, then an SRV whose name points into the PTR's data
        u16(p, 0);
        u16(p, 0);
        // PTR _webthing._tcp.local -> sim-0001._webthing._tcp.local
        int typeName = p.size();
        name(p, "_webthing", "_tcp", "local");
        u16(p, 12);
        u16(p, 1);
        p.writeBytes(new byte[] {0, 0, 0, 120});
        u16(p, 11); // rdata: label "sim-0001" (9 bytes) + pointer (2)
        int instance = p.size();
        p.write(8);
        p.writeBytes("sim-0001".getBytes(StandardCharsets.UTF_8));
        p.write(0xc0);
        p.write(typeName);
        // SRV, name = pointer to the instance name above
        p.write(0xc0);
        p.write(instance);
        u16(p, 33);
        u16(p, 0x8001);
        p.writeBytes(new byte[] {0, 0, 0, 120});
        u16(p, 8);
        u16(p, 0);
        u16(p, 0);
        u16(p, 40001);
        p.write(0xc0);
        p.write(typeName);
        byte[] b = p.toByteArray();
        assertEquals(List.of("sim-0001"), WireListener.srvInstances(b, b.length));
    }

    @Test
    public void aQueryIsNotAnAnnouncement() {
        byte[] query = new byte[12];
        assertEquals(List.of(), WireListener.srvInstances(query, query.length));
    }
}
