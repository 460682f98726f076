package io.wasmiot.gateway.rest.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import jakarta.servlet.http.HttpServletRequest;

import io.wasmiot.lib.json.JsonMappers;

/** Reads request bodies as JSON, bounded in size and shape: bad input gets a clear error. */
final class JsonBodies {
    private static final int MAX_NESTING = 32;

    private final ObjectMapper mapper;

    JsonBodies(int maxBodyBytes) {
        this.mapper = JsonMappers.withOwnTypeCache(JsonMapper.builder(JsonFactory.builder()
                        .streamReadConstraints(StreamReadConstraints.builder()
                                .maxNestingDepth(MAX_NESTING)
                                .maxDocumentLength(maxBodyBytes)
                                .maxStringLength(maxBodyBytes)
                                .build())
                        .build())
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build());
    }

    /** Request attribute: the body was read to its end. */
    private static final String BODY_READ = JsonBodies.class.getName() + ".bodyRead";

    /** Whether a request carries a body (RFC 9112 §6.1: a Content-Length above 0, or a Transfer-Encoding). */
    static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    /** Whether {@link #read} read {@code request}'s body to its end. */
    static boolean wasRead(HttpServletRequest request) {
        return request.getAttribute(BODY_READ) != null;
    }

    /** Why a body was refused: the HTTP status and the message for {@code {"error"}}. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /**
     * Refuses a declared body type other than JSON with {@code 415}; no {@code Content-Type} at all
     * is accepted (some device clients send none). Besides saying clearly what went wrong, this
     * keeps browsers out: a page on another origin can POST {@code text/plain} or a form without a
     * CORS preflight, but not {@code application/json}, and this gateway answers no preflight.
     */
    static void requireJsonContentType(String contentType) throws Refused {
        if (contentType == null || contentType.isBlank()) {
            return;
        }
        String type = contentType.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
        if (type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"))) {
            return;
        }
        throw new Refused(415, "Content-Type " + RegisterRequest.shown(type) + " is not supported: send application/json");
    }

    JsonNode read(HttpServletRequest request, int maxBytes) throws Refused, IOException {
        byte[] body = readBody(request, maxBytes);
        if (body.length == 0) {
            throw new Refused(400, "empty body: a JSON object is expected");
        }
        return parse(body);
    }

    /**
     * A request's whole body, at most {@code maxBytes} ({@code 413} beyond, before reading when its
     * {@code Content-Length} says so); marks the request as read.
     */
    static byte[] readBody(HttpServletRequest request, int maxBytes) throws Refused, IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            throw new Refused(413, "request body of " + declared + " bytes is over the limit of " + maxBytes);
        }
        try {
            byte[] body = readBounded(request.getInputStream(), maxBytes);
            request.setAttribute(BODY_READ, Boolean.TRUE);
            return body;
        } catch (java.io.EOFException e) {
            // Jetty's EofException: the body ended before its Content-Length. (Other I/O failures
            // mean the client is gone: nobody to answer; they propagate.)
            throw new Refused(400, "request body could not be read whole: it ended before its Content-Length");
        }
    }

    /** JSON text (UTF-8 bytes) as a tree, within this reader's bounds; any JSON value. */
    JsonNode parse(byte[] body) throws Refused {
        requireUtf8(body);
        try {
            JsonNode tree = mapper.readTree(body);
            if (tree == null || tree.isMissingNode()) {
                throw new Refused(400, "empty body: a JSON object is expected");
            }
            requireWellFormedStrings(tree);
            return tree;
        } catch (JsonProcessingException e) {
            throw new Refused(400, "malformed JSON: " + oneLine(e.getOriginalMessage()));
        } catch (IOException e) {
            // e.g. CharConversionException: the bytes are already in memory, so this is the body's fault
            throw new Refused(400, "malformed JSON: " + oneLine(e.getMessage()));
        }
    }

    /**
     * JSON on the wire is UTF-8 (RFC 8259 §8.1). Jackson's own decoder lets overlong forms through
     * ({@code C0 AF} for {@code /}, the classic filter bypass): the JDK's decoder does not.
     */
    private static void requireUtf8(byte[] body) throws Refused {
        try {
            java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(body));
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new Refused(400, "malformed JSON: the body is not valid UTF-8");
        }
    }

    /**
     * A {@code \ud800} escape gives a string that is not Unicode; stored, it would break every
     * later JSON answer that includes it. Refused with the field it is in.
     */
    private static void requireWellFormedStrings(JsonNode node) throws Refused {
        if (node.isTextual()) {
            String text = node.textValue();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else if (Character.isSurrogate(c)) {
                    throw new Refused(400, "malformed JSON: a string holds an unpaired surrogate (\\u"
                            + Integer.toHexString(c) + ")");
                }
            }
            return;
        }
        var fields = node.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            requireWellFormedStrings(new com.fasterxml.jackson.databind.node.TextNode(field.getKey()));
            requireWellFormedStrings(field.getValue());
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                requireWellFormedStrings(element);
            }
        }
    }

    private static byte[] readBounded(InputStream in, int maxBytes) throws IOException, Refused {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, 8192));
        byte[] buffer = new byte[8192];
        int total = 0;
        for (int read; (read = in.read(buffer)) != -1; ) {
            total += read;
            if (total > maxBytes) {
                throw new Refused(413, "request body is over the limit of " + maxBytes + " bytes");
            }
            out.write(buffer, 0, read);
        }
        return out.toByteArray();
    }

    private static String oneLine(String text) {
        String line = String.valueOf(text).replaceAll("\\s+", " ");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
