package io.wasmiot.gateway.probe.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A hostile stand-in device on a raw server socket: each connection gets its own thread and behaviour. */
final class RawDevice implements AutoCloseable {
    interface Behaviour {
        void serve(Socket connection) throws IOException;
    }

    private final ServerSocket listener;
    private final Thread acceptor;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final List<Thread> handlers = new CopyOnWriteArrayList<>();
    final AtomicInteger accepted = new AtomicInteger();

    RawDevice(Behaviour behaviour) throws IOException {
        listener = new ServerSocket(0, 64, InetAddress.getByName("127.0.0.1"));
        acceptor = new Thread(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket connection = listener.accept();
                    connections.add(connection);
                    accepted.incrementAndGet();
                    Thread handler = new Thread(() -> {
                        try (connection) {
                            behaviour.serve(connection);
                        } catch (IOException ignored) {
                            // the client went away: that is what these devices provoke
                        }
                    }, "raw-device-connection");
                    handler.setDaemon(true);
                    handlers.add(handler);
                    handler.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "raw-device-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Reads the request head (up to the blank line); the probe's requests carry no body we need. */
    static String readRequestHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int next = in.read();
            if (next < 0) {
                throw new IOException("closed before the request head ended");
            }
            head.write(next);
            matched = next == end[matched] ? matched + 1 : (next == '\r' ? 1 : 0);
        }
        return head.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Blocks until the peer closes the connection (read returns -1 or fails). */
    static void awaitPeerClose(Socket connection) {
        try {
            InputStream in = connection.getInputStream();
            byte[] sink = new byte[4096];
            while (in.read(sink) >= 0) {
                // discard
            }
        } catch (IOException closed) {
            // reset by the peer: closed too
        }
    }

    @Override
    public void close() throws Exception {
        listener.close();
        for (Socket connection : connections) {
            connection.close();
        }
        acceptor.join(2000);
        for (Thread handler : handlers) {
            handler.join(2000);
        }
    }
}
