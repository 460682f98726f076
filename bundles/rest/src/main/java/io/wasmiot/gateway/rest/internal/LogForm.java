package io.wasmiot.gateway.rest.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code logData} field of a supervisor's {@code POST /device/logs} (docs/contract.md §9): a form, as Python's
 * {@code requests.post(url, data={'logData': ...})} sends it ({@code application/x-www-form-urlencoded}),
 * or {@code multipart/form-data}. Reads the body already in memory (bounded by the caller); the
 * field's bytes are returned as they are, for the JSON reader to check (UTF-8 included).
 */
final class LogForm {
    static final String FIELD = "logData";
    static final String URLENCODED = "application/x-www-form-urlencoded";
    static final String MULTIPART = "multipart/form-data";
    private static final Pattern BOUNDARY = Pattern.compile("(?i);\\s*boundary=(?:\"([^\"]{1,70})\"|([^;\\s]{1,70}))");
    private static final Pattern FIELD_NAME = Pattern.compile("(?i)(?:^|;)\\s*name=\"([^\"]*)\"");

    private LogForm() {
    }

    /** The media type of a {@code Content-Type}, lower case, without parameters; empty for none. */
    static String mediaType(String contentType) {
        return contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    }

    static boolean isForm(String contentType) {
        String type = mediaType(contentType);
        return type.equals(URLENCODED) || type.equals(MULTIPART);
    }

    /** The {@code logData} field's value; {@code 400} when the form is malformed or has no such field. */
    static byte[] logData(String contentType, byte[] body) throws JsonBodies.Refused {
        byte[] value = mediaType(contentType).equals(MULTIPART) ? multipartField(contentType, body) : urlencodedField(body);
        if (value == null) {
            throw new JsonBodies.Refused(400, "the form has no " + FIELD + " field (a JSON object, the log line)");
        }
        return value;
    }

    private static byte[] urlencodedField(byte[] body) throws JsonBodies.Refused {
        int start = 0;
        while (start <= body.length) {
            int end = indexOf(body, (byte) '&', start);
            int equals = indexOf(body, (byte) '=', start);
            int nameEnd = equals >= 0 && equals < end ? equals : end;
            if (new String(decode(body, start, nameEnd), StandardCharsets.UTF_8).equals(FIELD)) {
                return nameEnd == end ? new byte[0] : decode(body, nameEnd + 1, end);
            }
            start = end + 1;
        }
        return null;
    }

    /** {@code [from, to)} of a form field percent-decoded, {@code +} as a space. */
    private static byte[] decode(byte[] body, int from, int to) throws JsonBodies.Refused {
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
        for (int i = from; i < to; i++) {
            byte b = body[i];
            if (b == '+') {
                out.write(' ');
            } else if (b == '%') {
                int high = i + 2 < to ? Character.digit(body[i + 1], 16) : -1;
                int low = i + 2 < to ? Character.digit(body[i + 2], 16) : -1;
                if (high < 0 || low < 0) {
                    throw new JsonBodies.Refused(400, "malformed form: '%' must be followed by two hex digits");
                }
                out.write(high << 4 | low);
                i += 2;
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    private static byte[] multipartField(String contentType, byte[] body) throws JsonBodies.Refused {
        Matcher boundary = BOUNDARY.matcher(contentType);
        if (!boundary.find()) {
            throw new JsonBodies.Refused(400, "multipart/form-data without a boundary");
        }
        byte[] delimiter = ("--" + (boundary.group(1) != null ? boundary.group(1) : boundary.group(2)))
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] next = concat(new byte[] {'\r', '\n'}, delimiter);
        int at = indexOf(body, delimiter, 0);
        if (at < 0) {
            throw new JsonBodies.Refused(400, "malformed multipart body: no part starts with its boundary");
        }
        while (true) {
            int partStart = at + delimiter.length;
            if (partStart + 1 < body.length && body[partStart] == '-' && body[partStart + 1] == '-') {
                return null; // the closing delimiter
            }
            int headersEnd = indexOf(body, new byte[] {'\r', '\n', '\r', '\n'}, partStart);
            int partEnd = indexOf(body, next, partStart);
            if (headersEnd < 0 || partEnd < 0 || headersEnd > partEnd) {
                throw new JsonBodies.Refused(400, "malformed multipart body: a part is not closed by its boundary");
            }
            String headers = new String(body, partStart, headersEnd - partStart, StandardCharsets.UTF_8);
            if (FIELD.equals(fieldName(headers))) {
                return java.util.Arrays.copyOfRange(body, headersEnd + 4, partEnd);
            }
            at = partEnd + 2;
        }
    }

    /** The {@code name} of a part's {@code Content-Disposition: form-data; name="..."}, or {@code null}. */
    private static String fieldName(String headers) {
        for (String header : headers.split("\r\n")) {
            int colon = header.indexOf(':');
            if (colon > 0 && header.substring(0, colon).strip().equalsIgnoreCase("Content-Disposition")) {
                Matcher name = FIELD_NAME.matcher(header.substring(colon + 1));
                return name.find() ? name.group(1) : null;
            }
        }
        return null;
    }

    private static int indexOf(byte[] body, byte b, int from) {
        for (int i = from; i < body.length; i++) {
            if (body[i] == b) {
                return i;
            }
        }
        return body.length;
    }

    private static int indexOf(byte[] body, byte[] part, int from) {
        outer:
        for (int i = from; i <= body.length - part.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (body[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
