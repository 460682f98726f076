package io.wasmiot.gateway.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;

public class JsonBodiesTest {
    private static final int LIMIT = 1024;
    private final JsonBodies bodies = new JsonBodies(LIMIT);

    /** A body and its stream, counting what was read from it. */
    private static final class Body extends ServletInputStream {
        private final ByteArrayInputStream in;
        int bytesRead;

        Body(byte[] bytes) {
            this.in = new ByteArrayInputStream(bytes);
        }

        @Override
        public int read() {
            int b = in.read();
            if (b >= 0) {
                bytesRead++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                bytesRead += n;
            }
            return n;
        }

        @Override
        public boolean isFinished() {
            return in.available() == 0;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new UnsupportedOperationException();
        }
    }

    /** A request with only a body and its declared length ({@code -1}: none). */
    private static HttpServletRequest request(ServletInputStream body, long contentLength) {
        java.util.Map<String, Object> attributes = new java.util.HashMap<>();
        return (HttpServletRequest) Proxy.newProxyInstance(JsonBodiesTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (self, method, args) -> {
                    switch (method.getName()) {
                        case "setAttribute":
                            attributes.put((String) args[0], args[1]);
                            return null;
                        case "getAttribute":
                            return attributes.get((String) args[0]);
                        case "getHeader":
                            return null;
                        case "getContentLengthLong":
                            return contentLength;
                        case "getContentLength":
                            return (int) Math.min(Integer.MAX_VALUE, contentLength);
                        case "getInputStream":
                            return body;
                        case "toString":
                            return "test request";
                        default:
                            throw new UnsupportedOperationException("HttpServletRequest." + method.getName());
                    }
                });
    }

    @Test
    public void aBodyReadToItsEndIsMarkedReadAndOneRefusedBeforeItIsNot() throws Exception {
        byte[] json = "{\"name\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        HttpServletRequest whole = request(new Body(json), json.length);
        assertTrue(JsonBodies.hasBody(whole));
        bodies.read(whole, LIMIT);
        assertTrue(JsonBodies.wasRead(whole));
        HttpServletRequest tooLong = request(new Body(json), LIMIT + 1L);
        assertEquals(413, assertThrows(JsonBodies.Refused.class, () -> bodies.read(tooLong, LIMIT)).status);
        assertFalse("refused before the body was read", JsonBodies.wasRead(tooLong));
        assertFalse("no Content-Length, no Transfer-Encoding: no body", JsonBodies.hasBody(request(new Body(new byte[0]), -1)));
    }

    private JsonNode read(byte[] bytes, long contentLength) throws Exception {
        return bodies.read(request(new Body(bytes), contentLength), LIMIT);
    }

    private JsonNode read(String text) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return read(bytes, bytes.length);
    }

    private JsonBodies.Refused refused(byte[] bytes, long contentLength) {
        return assertThrows(JsonBodies.Refused.class, () -> read(bytes, contentLength));
    }

    private JsonBodies.Refused refused(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return refused(bytes, bytes.length);
    }

    private static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    @Test
    public void jsonOrNoContentTypeIsAccepted() throws Exception {
        for (String type : new String[] {null, "", "application/json", "application/json; charset=utf-8",
                "Application/JSON", "application/merge-patch+json"}) {
            JsonBodies.requireJsonContentType(type);
        }
    }

    @Test
    public void otherContentTypesAre415() {
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "text/html;charset=utf-8", "application/xml", "json",
                "text/json+x\r\nX-Injected: 1"}) {
            JsonBodies.Refused refused = assertThrows(JsonBodies.Refused.class,
                    () -> JsonBodies.requireJsonContentType(type));
            assertEquals(type, 415, refused.status);
            assertTrue(refused.getMessage(), refused.getMessage().contains("send application/json"));
            assertTrue("one line: " + refused.getMessage(), !refused.getMessage().contains("\n"));
        }
    }

    @Test
    public void anObjectIsRead() throws Exception {
        JsonNode node = read("{\"name\":\"dev\",\"port\":5000}");
        assertEquals("dev", node.get("name").asText());
        assertEquals(5000, node.get("port").intValue());
        assertTrue("the shape is the caller's business", read("[1,2]").isArray());
        assertTrue("no Content-Length is fine", read("{}".getBytes(StandardCharsets.UTF_8), -1).isObject());
    }

    @Test
    public void aDeclaredLengthOverTheLimitIs413WithoutReadingTheBody() {
        Body body = new Body("{}".getBytes(StandardCharsets.UTF_8));
        JsonBodies.Refused refused = assertThrows(JsonBodies.Refused.class,
                () -> bodies.read(request(body, LIMIT + 1), LIMIT));
        assertEquals(413, refused.status);
        assertTrue(refused.getMessage(), refused.getMessage().contains(String.valueOf(LIMIT)));
        assertEquals(0, body.bytesRead);
        assertEquals(413, refused(new byte[0], Long.MAX_VALUE).status);
    }

    @Test
    public void aBodyOverTheLimitWithoutContentLengthIs413() {
        byte[] big = ("{\"x\":\"" + "a".repeat(LIMIT) + "\"}").getBytes(StandardCharsets.UTF_8);
        Body body = new Body(big);
        JsonBodies.Refused refused = assertThrows(JsonBodies.Refused.class, () -> bodies.read(request(body, -1), LIMIT));
        assertEquals(413, refused.status);
        assertTrue("stops reading soon after the limit: " + body.bytesRead, body.bytesRead <= LIMIT + 8192);
    }

    @Test
    public void aBodyLongerThanItsDeclaredLengthIs413() {
        byte[] big = ("{\"x\":\"" + "a".repeat(2 * LIMIT) + "\"}").getBytes(StandardCharsets.UTF_8);
        assertEquals(413, refused(big, 10).status);
    }

    @Test
    public void aBodyOfExactlyTheLimitIsRead() throws Exception {
        String padding = "a".repeat(LIMIT - "{\"x\":\"\"}".length());
        String text = "{\"x\":\"" + padding + "\"}";
        assertEquals(LIMIT, text.length());
        assertEquals(padding, read(text).get("x").asText());
        assertEquals(padding, read(text.getBytes(StandardCharsets.UTF_8), -1).get("x").asText());
    }

    @Test
    public void emptyBodiesAre400() {
        assertEquals(400, refused("").status);
        assertEquals(400, refused(new byte[0], -1).status);
        JsonBodies.Refused blank = refused("  \r\n ");
        assertEquals(400, blank.status);
        assertTrue(blank.getMessage(), blank.getMessage().contains("empty body"));
    }

    @Test
    public void malformedJsonIs400() {
        for (String bad : new String[] {"{", "{\"a\":", "{'a':1}", "{\"a\":1,}", "name=dev", "{\"a\":tru}", "\"unterminated",
                "{\"a\":\"\u0001\"}", "NaN"}) {
            JsonBodies.Refused refused = refused(bad);
            assertEquals(bad, 400, refused.status);
            assertTrue(bad + ": " + refused.getMessage(), refused.getMessage().startsWith("malformed JSON"));
            assertTrue("one line: " + refused.getMessage(), !refused.getMessage().contains("\n"));
        }
    }

    @Test
    public void trailingGarbageIs400() {
        for (String bad : new String[] {"{} x", "{}{}", "{\"a\":1} {\"b\":2}", "[] ]", "{}\u0000"}) {
            assertEquals(bad, 400, refused(bad).status);
        }
    }

    @Test
    public void invalidUtf8Is400() {
        byte[] bad = {'{', '"', 'a', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'};
        assertEquals(400, refused(bad, bad.length).status);
    }

    @Test
    public void overlongUtf8Is400() {
        byte[] overlongSlash = {'{', '"', 'a', '"', ':', '"', (byte) 0xc0, (byte) 0xaf, '"', '}'};
        JsonBodies.Refused refused = refused(overlongSlash, overlongSlash.length);
        assertEquals(400, refused.status);
        assertTrue(refused.getMessage(), refused.getMessage().contains("not valid UTF-8"));
        byte[] encodedSurrogate = {'{', '"', 'a', '"', ':', '"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"', '}'};
        assertEquals(400, refused(encodedSurrogate, encodedSurrogate.length).status);
    }

    @Test
    public void unpairedSurrogateEscapesAre400() throws Exception {
        for (String bad : new String[] {"{\"name\":\"a\\ud800b\"}", "{\"x\":[\"\\udc00\"]}", "{\"\\ud800\":1}",
                "{\"a\":{\"b\":\"\\ud800\"}}"}) {
            JsonBodies.Refused refused = refused(bad);
            assertEquals(bad, 400, refused.status);
            assertTrue(refused.getMessage(), refused.getMessage().contains("unpaired surrogate"));
        }
        assertEquals("\ud83d\ude80", read("{\"a\":\"\\ud83d\\ude80\"}").get("a").asText());
    }

    @Test
    public void aBodyEndingBeforeItsContentLengthIs400() {
        ServletInputStream broken = new ServletInputStream() {
            @Override
            public int read() throws IOException {
                throw new java.io.EOFException("early EOF");
            }

            @Override
            public boolean isFinished() {
                return false;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new UnsupportedOperationException();
            }
        };
        JsonBodies.Refused refused = assertThrows(JsonBodies.Refused.class, () -> bodies.read(request(broken, 100), LIMIT));
        assertEquals(400, refused.status);
        assertTrue(refused.getMessage(), refused.getMessage().contains("could not be read whole"));
    }

    @Test
    public void invalidUtf32Is400() {
        byte[] bad = {0, 0, 0, '"', (byte) 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 0, 0, '"'};
        assertEquals(400, refused(bad, bad.length).status);
    }

    @Test
    public void tooDeepNestingIs400() throws Exception {
        assertTrue(read(nested(32)).isArray());
        assertEquals(400, refused(nested(33)).status);
        assertEquals(400, refused(nested(500)).status);
        assertEquals(400, refused("{\"a\":" + "{\"a\":".repeat(40) + "1" + "}".repeat(41)).status);
    }

    @Test
    public void theLimitPassedToReadIsTheOneThatCounts() throws Exception {
        byte[] body = "{\"name\":\"dev\"}".getBytes(StandardCharsets.UTF_8);
        JsonBodies.Refused refused = assertThrows(JsonBodies.Refused.class,
                () -> bodies.read(request(new Body(body), -1), 5));
        assertEquals(413, refused.status);
    }

    @Test
    public void aStreamThatFailsIsAnIOException() {
        ServletInputStream broken = new ServletInputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }

            @Override
            public boolean isFinished() {
                return false;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
            }
        };
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (self, method, args) -> switch (method.getName()) {
                    case "getContentLengthLong" -> 10L;
                    case "getInputStream" -> broken;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        assertThrows(IOException.class, () -> bodies.read(request, LIMIT));
    }
}
