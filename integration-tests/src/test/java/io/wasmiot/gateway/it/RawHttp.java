package io.wasmiot.gateway.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * HTTP/1.1 written and read byte by byte on a socket of its own, for requests no HTTP client
 * sends: lying or hostile framing, invalid bytes, a source address of the caller's choice.
 */
final class RawHttp {
    private final int port;

    RawHttp(int port) {
        this.port = port;
    }

    /** One request on its own connection; returns {status, body}. A read timeout is a failure ("hang"). */
    String[] exchange(byte[] request, String fromAddress) throws IOException {
        try (Socket socket = new Socket()) {
            if (fromAddress != null) {
                socket.bind(new InetSocketAddress(InetAddress.getByName(fromAddress), 0));
            }
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
                socket.shutdownOutput(); // the end of input ends a lying Content-Length's wait
            } catch (IOException e) {
                // the gateway may answer (413) and close before a huge body is all sent: read the answer
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) != -1; ) {
                    received.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException e) {
                return new String[] {"-2", "no answer within 10 s (hang)"};
            } catch (IOException e) {
                if (received.size() == 0) {
                    throw e;
                }
            }
            String text = received.toString(StandardCharsets.UTF_8);
            if (!text.startsWith("HTTP/1.1 ")) {
                return new String[] {"-1", "not an HTTP answer: " + text};
            }
            int status = Integer.parseInt(text.substring(9, 12));
            int split = text.indexOf("\r\n\r\n");
            String body = split < 0 ? "" : text.substring(split + 4);
            if (text.substring(0, Math.max(0, split)).toLowerCase().contains("transfer-encoding: chunked")) {
                body = dechunk(body);
            }
            return new String[] {String.valueOf(status), body};
        }
    }

    private static String dechunk(String body) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < body.length()) {
            int eol = body.indexOf("\r\n", at);
            if (eol < 0) {
                break;
            }
            int size = Integer.parseInt(body.substring(at, eol).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.append(body, eol + 2, Math.min(body.length(), eol + 2 + size));
            at = eol + 2 + size + 2;
        }
        return out.toString();
    }

    byte[] request(String method, String path, String contentType, byte[] body) {
        List<String> headers = new ArrayList<>();
        if (contentType != null) {
            headers.add("Content-Type: " + contentType);
        }
        headers.add("Content-Length: " + body.length);
        return concat(headers(method, path, headers.toArray(String[]::new)), body);
    }

    byte[] headers(String method, String path, String... headers) {
        StringBuilder text = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nConnection: close\r\n");
        for (String header : headers) {
            text.append(header).append("\r\n");
        }
        return text.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    byte[] chunked(String path, String body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(headers("POST", path, "Content-Type: application/json", "Transfer-Encoding: chunked"));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        for (int at = 0; at < bytes.length; at += 4096) {
            int n = Math.min(4096, bytes.length - at);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes, at, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }
}
