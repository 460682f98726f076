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

    /** The text of the first label of {@code name} ({@link #text(byte[])}). */
    public static String firstLabel(Name name) {
        return text(label(name, 0));
    }

    /**
     * The service instance name of {@code name} under {@code type}: the labels before the type, joined
     * with dots. One label is what RFC 6763 §4.3 asks for (dots inside it); jmdns writes an instance
     * name with dots as several labels, and its devices are read the same way. {@code null} when
     * {@code name} is not under {@code type}.
     */
    public static String instanceName(Name name, Name type) {
        int extra = name.labels() - type.labels();
        if (extra < 1 || !name.subdomain(type)) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < extra; i++) {
            text.append(i == 0 ? "" : ".").append(text(label(name, i)));
        }
        return text.toString();
    }

    private static byte[] label(Name name, int index) {
        byte[] label = name.getLabel(index);
        int from = label.length > 0 && (label[0] & 0xff) == label.length - 1 ? 1 : 0;
        return java.util.Arrays.copyOfRange(label, from, label.length);
    }

    /**
     * A label's bytes as text: UTF-8; else Java's modified UTF-8, which jmdns writes (characters
     * beyond the Basic Multilingual Plane as two 3-byte surrogates); else UTF-8 with the bytes that
     * are not replaced.
     */
    public static String text(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            try {
                java.io.ByteArrayOutputStream prefixed = new java.io.ByteArrayOutputStream(bytes.length + 2);
                prefixed.write(bytes.length >> 8);
                prefixed.write(bytes.length);
                prefixed.writeBytes(bytes);
                return new java.io.DataInputStream(new java.io.ByteArrayInputStream(prefixed.toByteArray())).readUTF();
            } catch (java.io.IOException notModified) {
                return new String(bytes, StandardCharsets.UTF_8);
            }
        }
    }
}
