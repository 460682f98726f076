package io.wasmiot.agent.simulator;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Percent-encoding for the words of the line protocol: a word carries any bytes (spaces, line
 * breaks, invalid UTF-8) as {@code %XX}; every other character stands for its UTF-8 bytes. Unlike
 * URL form decoding, {@code +} is a plus.
 */
final class PercentText {
    private PercentText() {
    }

    /** The bytes a word stands for. */
    static byte[] decode(String word) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(word.length());
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c == '%') {
                if (i + 2 >= word.length() || Character.digit(word.charAt(i + 1), 16) < 0
                        || Character.digit(word.charAt(i + 2), 16) < 0) {
                    throw new IllegalArgumentException("'%' must be followed by two hex digits in '" + word + "'");
                }
                out.write(Character.digit(word.charAt(i + 1), 16) * 16 + Character.digit(word.charAt(i + 2), 16));
                i += 2;
            } else {
                int end = Character.isHighSurrogate(c) && i + 1 < word.length() ? i + 2 : i + 1;
                out.writeBytes(word.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end - 1;
            }
        }
        return out.toByteArray();
    }

    /** The text a word stands for (invalid UTF-8 becomes U+FFFD). */
    static String decodeText(String word) {
        return new String(decode(word), StandardCharsets.UTF_8);
    }

    /** A word for {@code text}: ASCII letters, digits and {@code -._~} as they are, every other byte as {@code %XX}. */
    static String encode(String text) {
        StringBuilder word = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0)) {
                word.append((char) c);
            } else {
                word.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return word.toString();
    }
}
