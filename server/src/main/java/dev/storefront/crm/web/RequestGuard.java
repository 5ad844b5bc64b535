package dev.storefront.crm.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The first thing every request meets. It bounds request bodies ({@code crm.http.max-body-size};
 * CSV uploads to {@code /imports} have their own limits), checks that a GraphQL POST is a JSON
 * object, and turns anything that escapes the handlers into a JSON error with an incident id:
 * clients never see Tomcat's HTML page, a stack trace or a class name.
 */
final class RequestGuard extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(RequestGuard.class);

    private final long maxBodySize;

    RequestGuard(long maxBodySize) {
        this.maxBodySize = maxBodySize;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException {
        try {
            HttpServletRequest guarded = request;
            if (!request.getRequestURI().startsWith(request.getContextPath() + "/imports/")) {
                if (request.getContentLengthLong() > maxBodySize) {
                    tooLarge(response);
                    return;
                }
                guarded = new Bounded(request, maxBodySize);
            }
            if (isGraphQlPost(request) && !acceptedGraphQlBody(guarded, response)) {
                return;
            }
            chain.doFilter(guarded, response);
        } catch (IOException | ServletException | RuntimeException e) {
            if (causedBy(e, BodyTooLarge.class)) {
                if (!response.isCommitted()) {
                    response.resetBuffer();
                    tooLarge(response);
                }
                return;
            }
            String incident = UUID.randomUUID().toString();
            log.error("Incident {} on {} {}", incident, request.getMethod(), request.getRequestURI(), e);
            if (!response.isCommitted()) {
                response.reset();
                JsonErrors.write(response, 500, "INTERNAL", "Internal error, incident " + incident);
            }
        }
    }

    private static boolean isGraphQlPost(HttpServletRequest request) {
        return "POST".equals(request.getMethod()) && request.getRequestURI().equals(request.getContextPath() + "/graphql");
    }

    /** A GraphQL POST must say it is JSON and hold a JSON object; {@code null} or {@code []} reached Spring as a null request. */
    private static boolean acceptedGraphQlBody(HttpServletRequest request, HttpServletResponse response) throws IOException {
        MediaType type;
        try {
            type = request.getContentType() == null ? null : MediaType.parseMediaType(request.getContentType());
        } catch (IllegalArgumentException e) {
            type = null;
        }
        if (type == null || type.isWildcardType() || type.isWildcardSubtype()
                || !(type.isCompatibleWith(MediaType.APPLICATION_JSON) || type.getSubtype().endsWith("+json"))) {
            JsonErrors.write(response, 415, "VALIDATION", "Send GraphQL requests as JSON: Content-Type: application/json with "
                    + "{\"query\": \"...\", \"variables\": {...}}");
            return false;
        }
        if (((Bounded) request).firstCharacter() != '{') {
            JsonErrors.write(response, 400, "VALIDATION", "The request body must be a JSON object: {\"query\": \"...\", \"variables\": {...}}");
            return false;
        }
        return true;
    }

    private void tooLarge(HttpServletResponse response) throws IOException {
        JsonErrors.write(response, 413, "VALIDATION", "The request body is larger than " + maxBodySize + " bytes (crm.http.max-body-size)");
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** Thrown by a bounded body read past its limit (a body without Content-Length). */
    static final class BodyTooLarge extends IOException {
        BodyTooLarge() {
            super("request body too large");
        }
    }

    /** The request with a body that fails once more than {@code limit} bytes are read. */
    private static final class Bounded extends HttpServletRequestWrapper {

        /** Blanks looked at before the first character of a body. */
        private static final int PEEK = 4096;

        private final long limit;
        private ServletInputStream stream;
        private PushbackInputStream peek;

        Bounded(HttpServletRequest request, long limit) {
            super(request);
            this.limit = limit;
        }

        /** The first non-blank character of the body (-1 when empty), left unread for the handler. */
        int firstCharacter() throws IOException {
            ServletInputStream in = getInputStream();
            int c;
            StringBuilder blanks = new StringBuilder();
            do {
                c = peek.read();
                blanks.append((char) c);
            } while ((c == ' ' || c == '\n' || c == '\r' || c == '\t') && blanks.length() < PEEK);
            peek.unread(blanks.toString().getBytes(StandardCharsets.ISO_8859_1), 0, c == -1 ? blanks.length() - 1 : blanks.length());
            return c;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream raw = super.getInputStream();
                peek = new PushbackInputStream(raw, PEEK);
                stream = new ServletInputStream() {
                    private long read;

                    @Override
                    public int read() throws IOException {
                        int b = peek.read();
                        count(b < 0 ? 0 : 1);
                        return b;
                    }

                    @Override
                    public int read(byte[] buffer, int offset, int length) throws IOException {
                        int n = peek.read(buffer, offset, length);
                        count(Math.max(n, 0));
                        return n;
                    }

                    private void count(int n) throws BodyTooLarge {
                        read += n;
                        if (read > limit) {
                            throw new BodyTooLarge();
                        }
                    }

                    @Override
                    public boolean isFinished() {
                        return raw.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return raw.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        raw.setReadListener(listener);
                    }
                };
            }
            return stream;
        }
    }
}
