package io.wasmiot.agent.internal.mdns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.xbill.DNS.DNSInput;
import org.xbill.DNS.Name;

/**
 * DNS names from one label of any text ({@code odd name "q"}, {@code dotted.name.x}, UTF-8): built
 * from the wire form, so no character needs escaping and the label's bytes are exactly its UTF-8.
 */
public final class MdnsNames {
    public static final Name SERVICE_TYPE = Name.fromConstantString("_webthing._tcp.local.");
    static final Name LOCAL = Name.fromConstantString("local.");
    /** DNS-SD service type enumeration (RFC 6763 §9): python-zeroconf answers it, so do we. */
    static final Name SERVICES = Name.fromConstantString("_services._dns-sd._udp.local.");
    /** RFC 1035: a label's length byte has 6 bits; longer ones cannot be written. */
    public static final int MAX_LABEL_BYTES = 63;

    private MdnsNames() {
    }

    /** {@code label._webthing._tcp.local.} */
    static Name instance(String label) {
        return child(label, SERVICE_TYPE);
    }

    /** {@code label.local.}: python-zeroconf supervisors name their host after the service. */
    static Name host(String label) {
        return child(label, LOCAL);
    }

    /** Whether {@code label} fits one DNS label (1-63 bytes of UTF-8). */
    public static boolean fits(String label) {
        int bytes = label.getBytes(StandardCharsets.UTF_8).length;
        return bytes >= 1 && bytes <= MAX_LABEL_BYTES;
    }

    static Name child(String label, Name parent) {
        byte[] text = label.getBytes(StandardCharsets.UTF_8);
        if (text.length < 1 || text.length > MAX_LABEL_BYTES) {
            throw new IllegalArgumentException("'" + label + "' takes " + text.length
                    + " bytes; a DNS label holds 1-" + MAX_LABEL_BYTES);
        }
        byte[] parentWire = parent.toWire();
        byte[] wire = new byte[1 + text.length + parentWire.length];
        wire[0] = (byte) text.length;
        System.arraycopy(text, 0, wire, 1, text.length);
        System.arraycopy(parentWire, 0, wire, 1 + text.length, parentWire.length);
        try {
            return new Name(new DNSInput(wire));
        } catch (IOException e) {
            throw new IllegalArgumentException("'" + label + "' is not a DNS label: " + e.getMessage(), e);
        }
    }

    /** The first label's text (invalid UTF-8 replaced). */
    static String firstLabel(Name name) {
        byte[] label = name.getLabel(0);
        return new String(label, 1, label.length - 1, StandardCharsets.UTF_8);
    }
}
