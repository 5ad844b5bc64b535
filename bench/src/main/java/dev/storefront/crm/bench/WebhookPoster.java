package dev.storefront.crm.bench;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Posts signed deliveries to the Shopify plugin's webhook endpoint, as Shopify does: one POST each, with its
 * headers, over HTTP/1.1 kept alive, one connection per sending thread.
 *
 * <p>Written on a plain socket rather than {@link BlockingHttp}'s client because the sender stands in for
 * Shopify, which sends from its own machines, while here it shares the server's two cores: by hand, Apache
 * HttpClient spent 0.5-0.7 ms of CPU a delivery against 0.2-0.3 ms for this (bench/NOTES.md, twelfth session),
 * and that difference was counted as the server's time. A request is one write of bytes made up front; the
 * answer is read to its {@code Content-Length}, which is how the endpoint answers.
 */
final class WebhookPoster implements AutoCloseable {

    private final URI endpoint;
    private final ThreadLocal<Connection> connections = new ThreadLocal<>();
    private final List<Connection> opened = new CopyOnWriteArrayList<>();

    WebhookPoster(URI endpoint) {
        this.endpoint = endpoint;
    }

    /** Returns once the server answered {@code Received}, that is once the delivery is stored durably. */
    void post(WebhookIngest.Delivery delivery) throws IOException {
        byte[] body = delivery.body().getBytes(StandardCharsets.UTF_8);
        String head = "POST " + endpoint.getRawPath() + " HTTP/1.1\r\n"
                + "Host: " + endpoint.getHost() + ":" + endpoint.getPort() + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "X-Shopify-Topic: customers/update\r\n"
                + "X-Shopify-Shop-Domain: " + WebhookIngest.SHOP + "\r\n"
                + "X-Shopify-Webhook-Id: " + delivery.webhookId() + "\r\n"
                + "X-Shopify-Triggered-At: " + Instant.now() + "\r\n"
                + "X-Shopify-Hmac-Sha256: " + delivery.signature() + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(body, 0, request, headBytes.length, body.length);
        Answer answer = send(request);
        if (answer.status() != 200 || !answer.body().contains("Received")) {
            throw new IllegalStateException("The webhook endpoint answered " + answer.status() + ": " + answer.body());
        }
    }

    /**
     * Sends on this thread's connection. A kept-alive connection the server closed while it sat idle fails on its
     * first use; the delivery is then sent once more on a new one (a delivery sent twice is stored once).
     */
    private Answer send(byte[] request) throws IOException {
        Connection connection = connections.get();
        if (connection != null) {
            try {
                return connection.exchange(request);
            } catch (IOException closedWhileIdle) {
                drop(connection);
            }
        }
        connection = new Connection(new Socket(endpoint.getHost(), endpoint.getPort()));
        connections.set(connection);
        opened.add(connection);
        try {
            return connection.exchange(request);
        } catch (IOException e) {
            drop(connection);
            throw e;
        }
    }

    private void drop(Connection connection) throws IOException {
        connections.remove();
        opened.remove(connection);
        connection.socket.close();
    }

    @Override
    public void close() throws IOException {
        for (Connection connection : opened) {
            connection.socket.close();
        }
        opened.clear();
    }

    private record Answer(int status, String body) {
    }

    /** One kept-alive connection, used by one thread at a time. */
    private final class Connection {

        private final Socket socket;
        private final byte[] buffer = new byte[16 * 1024];

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            socket.setTcpNoDelay(true);
        }

        Answer exchange(byte[] request) throws IOException {
            socket.getOutputStream().write(request);
            InputStream in = socket.getInputStream();
            int length = 0;
            int headEnd;
            while ((headEnd = headEnd(length)) < 0) {
                length = fill(in, length);
            }
            String head = new String(buffer, 0, headEnd, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            int status = Integer.parseInt(head.substring(9, 12));
            int bodyStart = headEnd + 4;
            int bodyEnd = bodyStart + contentLength(head);
            while (length < bodyEnd) {
                length = fill(in, length);
            }
            if (head.contains("\r\nconnection: close")) {
                drop(this);
            }
            return new Answer(status, new String(buffer, bodyStart, bodyEnd - bodyStart, StandardCharsets.UTF_8));
        }

        private int fill(InputStream in, int length) throws IOException {
            if (length == buffer.length) {
                throw new IOException("The webhook endpoint's answer is longer than " + buffer.length + " bytes");
            }
            int read = in.read(buffer, length, buffer.length - length);
            if (read < 0) {
                throw new EOFException("The webhook endpoint closed the connection before it answered");
            }
            return length + read;
        }

        private int headEnd(int length) {
            for (int i = 3; i < length; i++) {
                if (buffer[i - 3] == '\r' && buffer[i - 2] == '\n' && buffer[i - 1] == '\r' && buffer[i] == '\n') {
                    return i - 3;
                }
            }
            return -1;
        }

        private int contentLength(String head) throws IOException {
            int at = head.indexOf("\r\ncontent-length:");
            if (at < 0) {
                throw new IOException("The webhook endpoint answered without a Content-Length: " + head);
            }
            int end = head.indexOf('\r', at + 2);
            return Integer.parseInt(head.substring(at + 17, end < 0 ? head.length() : end).trim());
        }
    }
}
