package io.wasmiot.agent.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A gateway stand-in on 127.0.0.1: records {@code POST /file/device/discovery/register} bodies and
 * answers 503 to the first {@code failuresFirst} of them, 204 after.
 */
public final class StandInOrchestrator implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final int failuresFirst;
    private final AtomicInteger requests = new AtomicInteger();
    private final List<JsonNode> accepted = new CopyOnWriteArrayList<>();
    private final List<String> contentTypes = new CopyOnWriteArrayList<>();

    public StandInOrchestrator(int port, int failuresFirst) throws IOException {
        this.failuresFirst = failuresFirst;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        server.createContext(OrchestratorClient.REGISTER_PATH, this::handle);
        server.setExecutor(executor);
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            int number = requests.incrementAndGet();
            if (!"POST".equals(exchange.getRequestMethod()) || number <= failuresFirst) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
            accepted.add(TestHttp.JSON.readTree(body));
            exchange.sendResponseHeaders(204, -1);
        }
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public int requests() {
        return requests.get();
    }

    /** Bodies answered with 204, in order. */
    public List<JsonNode> accepted() {
        return accepted;
    }

    public List<String> contentTypes() {
        return contentTypes;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
