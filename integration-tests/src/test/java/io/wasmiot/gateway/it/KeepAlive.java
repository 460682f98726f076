package io.wasmiot.gateway.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What a keep-alive client relies on, on a raw socket: an answer that does not say
 * {@code Connection: close} leaves the connection usable for the next request. A server that
 * answers before reading a request's body closes the connection afterwards; unannounced, a client
 * (the JDK's among them) sends its next request on it and gets no answer at all.
 */
final class KeepAlive {
    private KeepAlive() {
    }

    /**
     * Sends {@code head} (a request's line and headers, declaring a body of {@code body}'s length)
     * without the body, reads the answer, then sends the body: the answer must carry
     * {@code expectedStatus}, and either announce the close (and the server close) or answer a
     * next request on the same connection.
     */
    static void assertAnsweredBeforeTheBodyWithoutLosingTheNextRequest(int port, String head, String body,
                                                                       int expectedStatus) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
            out.write((head + "Content-Length: " + bodyBytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = readHead(in);
            assertTrue(answer, answer.startsWith("HTTP/1.1 " + expectedStatus + " "));
            int length = answer.lines().filter(line -> line.toLowerCase(Locale.ROOT).startsWith("content-length:"))
                    .map(line -> Integer.parseInt(line.substring(line.indexOf(':') + 1).trim())).findFirst().orElseThrow();
            assertEquals(length, in.readNBytes(length).length);
            if (answer.lines().anyMatch(line -> line.equalsIgnoreCase("Connection: close"))) {
                assertEquals("the server closes the connection it said it would", -1, in.read());
                return;
            }
            out.write(bodyBytes);
            out.write("GET /no-such-path HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String next = readHead(in);
            assertTrue("an answer on a connection not announced as closing:\n" + answer + "--\n" + next,
                    next.startsWith("HTTP/1.1 "));
        }
    }

    /** An answer's status line and headers, up to the empty line; what came before the end if the server closed. */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            head.append((char) c);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return head.toString();
    }
}
