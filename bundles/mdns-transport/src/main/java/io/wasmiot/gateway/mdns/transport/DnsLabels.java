package io.wasmiot.gateway.mdns.transport;

import java.nio.charset.StandardCharsets;

import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * DNS names from and to the text of one label: a service instance name ({@code orchestrator (2)},
 * {@code Küche.2}) may hold spaces, dots and UTF-8, which dnsjava's text form escapes.
 */
public final class DnsLabels {
    private DnsLabels() {
    }

    /** {@code label} (one label, any characters) under {@code parent}. */
    public static Name child(String label, Name parent) {
        StringBuilder escaped = new StringBuilder();
        for (byte b : label.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
                escaped.append((char) c);
            } else {
                escaped.append('\\').append(String.format("%03d", c));
            }
        }
        try {
            return Name.fromString(escaped.toString(), parent);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS label: " + label, e);
        }
    }

    /** The text of the first label of {@code name} (UTF-8; bytes that are not are replaced). */
    public static String firstLabel(Name name) {
        byte[] label = name.getLabel(0);
        int from = label.length > 0 && (label[0] & 0xff) == label.length - 1 ? 1 : 0;
        return new String(label, from, label.length - from, StandardCharsets.UTF_8);
    }
}
