package dev.storefront.crm.plugins;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local HTTP server taking webhook POSTs on 127.0.0.1: it keeps each delivery (path, headers,
 * body) and answers 500 to the first {@link #failNext} deliveries of a path, then 200.
 */
public final class WebhookReceiver implements AutoCloseable {

    public record Delivery(String path, String signature, String deliveryId, String body) {
    }

    private final HttpServer server;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();

    public WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getPath();
            deliveries.add(new Delivery(path, exchange.getRequestHeaders().getFirst("X-CRM-Signature"),
                    exchange.getRequestHeaders().getFirst("X-CRM-Delivery"), body));
            AtomicInteger left = failures.get(path);
            int status = left != null && left.getAndDecrement() > 0 ? 500 : 200;
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The next {@code times} deliveries to {@code path} are answered 500. */
    public void failNext(String path, int times) {
        failures.put(path, new AtomicInteger(times));
    }

    public List<Delivery> deliveries(String path) {
        return deliveries.stream().filter(d -> d.path().equals(path)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
