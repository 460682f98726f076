package io.wasmiot.agent.internal.mdns;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Type;

/**
 * An announcement of a name whose label is longer than DNS can carry (64-255 bytes), written by
 * hand the way a careless responder (jmdns) writes it: the length byte as is, which runs into the
 * compression-pointer bits, so every receiver reads a corrupt datagram. For tests of hostile
 * records (BadInputIT); dnsjava refuses to build such a name.
 */
final class CorruptAnnouncement {
    static final int MAX_LABEL_BYTES = 255;
    private final String label;
    private final byte[] labelBytes;

    CorruptAnnouncement(String label) {
        this.label = label;
        this.labelBytes = label.getBytes(StandardCharsets.UTF_8);
        if (labelBytes.length <= MdnsNames.MAX_LABEL_BYTES || labelBytes.length > MAX_LABEL_BYTES) {
            throw new IllegalArgumentException("'" + label + "' takes " + labelBytes.length
                    + " bytes; only 64-255 make a corrupt announcement");
        }
    }

    String label() {
        return label;
    }

    /** A response with one PTR {@code _webthing._tcp.local. -> <label>._webthing._tcp.local.}. */
    byte[] datagram(long ttl) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeShort(out, 0); // id
        writeShort(out, 0x8400); // QR, AA
        writeShort(out, 0);
        writeShort(out, 1);
        writeShort(out, 0);
        writeShort(out, 0);
        int typeOffset = out.size();
        out.writeBytes(MdnsNames.SERVICE_TYPE.toWire());
        writeShort(out, Type.PTR);
        writeShort(out, DClass.IN);
        writeShort(out, (int) (ttl >>> 16));
        writeShort(out, (int) ttl);
        writeShort(out, 1 + labelBytes.length + 2);
        out.write(labelBytes.length); // over 63: not a label length any more
        out.writeBytes(labelBytes);
        writeShort(out, 0xC000 | typeOffset); // then the type's name, compressed
        return out.toByteArray();
    }

    private static void writeShort(ByteArrayOutputStream out, int value) {
        out.write((value >>> 8) & 0xff);
        out.write(value & 0xff);
    }
}
