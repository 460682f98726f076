package io.wasmiot.gateway.probe.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** A well-behaved stand-in device on the JDK's HTTP server; records every request it gets. */
final class StubDevice implements AutoCloseable {
    /** Answers one exchange (the request body is already read and recorded). */
    interface Responder {
        void respond(HttpExchange exchange) throws IOException;
    }

    record Recorded(String method, String path, Headers headers, String body) {
    }

    private final HttpServer server;
    private final ExecutorService pool;
    final List<Recorded> requests = new CopyOnWriteArrayList<>();

    StubDevice(InetAddress bindAddress) throws IOException {
        server = HttpServer.create(new InetSocketAddress(bindAddress, 0), 64);
        pool = Executors.newFixedThreadPool(8, task -> {
            Thread thread = new Thread(task, "stub-device");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(pool);
        server.start();
    }

    static StubDevice onLoopback() throws IOException {
        return new StubDevice(InetAddress.getByName("127.0.0.1"));
    }

    StubDevice answer(String path, Responder responder) {
        server.createContext(path, exchange -> {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                requests.add(new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                        exchange.getRequestHeaders(), body));
                responder.respond(exchange);
            }
        });
        return this;
    }

    static Responder json(int status, String body) {
        return json(status, body, Map.of());
    }

    static Responder json(int status, String body, Map<String, String> headers) {
        return exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            headers.forEach(exchange.getResponseHeaders()::set);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        };
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
