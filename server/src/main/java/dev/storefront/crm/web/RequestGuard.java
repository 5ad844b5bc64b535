package dev.storefront.crm.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The first thing every request meets. It bounds request bodies ({@code crm.http.max-body-size};
 * CSV uploads to {@code /imports} have their own limits), checks that a GraphQL POST is a JSON
 * object, and turns anything that escapes the handlers into a JSON error with an incident id:
 * clients never see Tomcat's HTML page, a stack trace or a class name. An error status answered
 * with no body (Spring's refusals of a body it cannot read, a method or media type a path does
 * not take, a path that does not exist) gets the GraphQL error shape too, with its code.
 */
final class RequestGuard extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(RequestGuard.class);
    private static final Set<String> GRAPHQL_METHODS = Set.of("GET", "POST", "HEAD", "OPTIONS");
    private static final MediaType GRAPHQL_RESPONSE = MediaType.parseMediaType("application/graphql-response+json");

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
            if (isGraphQl(request) && !acceptedGraphQlRequest(request, response)) {
                return;
            }
            if (isGraphQlPost(request) && !acceptedGraphQlBody(guarded, response)) {
                return;
            }
            Watched watched = new Watched(response);
            chain.doFilter(guarded, watched);
            if (!watched.bodyStarted && !request.isAsyncStarted() && !response.isCommitted() && response.getStatus() >= 400) {
                JsonErrors.write(response, response.getStatus(), JsonErrors.codeOf(response.getStatus()), bodilessError(request, response));
            }
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

    /** What a bodiless error status means, in the words of someone sending requests by hand. */
    private static String bodilessError(HttpServletRequest request, HttpServletResponse response) {
        boolean graphQl = request.getRequestURI().equals(request.getContextPath() + "/graphql");
        return switch (response.getStatus()) {
            case 400 -> graphQl ? "The request body is not a GraphQL request: send JSON {\"query\": \"...\", \"variables\": {...}}"
                    + " with query a string and variables an object" : "The request is malformed";
            case 404 -> "There is nothing at " + request.getRequestURI();
            case 405 -> graphQl && "GET".equals(request.getMethod())
                    ? "A GET of /graphql needs a query: /graphql?query={...}&variables={...}"
                    : request.getRequestURI() + " does not take " + request.getMethod()
                    + (response.getHeader("Allow") == null ? "" : "; it takes " + response.getHeader("Allow"));
            case 415 -> "This content type is not taken here: " + request.getContentType();
            default -> "The request failed with HTTP status " + response.getStatus();
        };
    }

    private static boolean isGraphQl(HttpServletRequest request) {
        return request.getRequestURI().equals(request.getContextPath() + "/graphql");
    }

    private static boolean isGraphQlPost(HttpServletRequest request) {
        return "POST".equals(request.getMethod()) && isGraphQl(request);
    }

    /** The endpoint takes GET and POST and answers JSON; Spring would answer another method 404 and a foreign Accept 415. */
    private static boolean acceptedGraphQlRequest(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!GRAPHQL_METHODS.contains(request.getMethod())) {
            response.setHeader("Allow", "GET, POST");
            JsonErrors.write(response, 405, "METHOD_NOT_ALLOWED", "/graphql does not take " + request.getMethod()
                    + "; it takes GET (queries) and POST");
            return false;
        }
        List<MediaType> accepted;
        try {
            accepted = request.getHeader("Accept") == null ? List.of(MediaType.ALL) : MediaType.parseMediaTypes(request.getHeader("Accept"));
        } catch (IllegalArgumentException e) {
            accepted = List.of();
        }
        if (accepted.stream().noneMatch(type -> type.isCompatibleWith(MediaType.APPLICATION_JSON) || type.isCompatibleWith(GRAPHQL_RESPONSE))) {
            JsonErrors.write(response, 406, "VALIDATION", "The answer can only be JSON: accept application/json or "
                    + "application/graphql-response+json");
            return false;
        }
        return true;
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

    /**
     * The response, noting whether a body was started. An error sent with {@code sendError} keeps
     * its status but is not handed to the container's error page, so it is answered here as JSON.
     */
    private static final class Watched extends HttpServletResponseWrapper {

        private boolean bodyStarted;

        Watched(HttpServletResponse response) {
            super(response);
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            bodyStarted = true;
            return super.getOutputStream();
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            bodyStarted = true;
            return super.getWriter();
        }

        @Override
        public void sendError(int status) {
            setStatus(status);
        }

        @Override
        public void sendError(int status, String message) {
            setStatus(status);
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
