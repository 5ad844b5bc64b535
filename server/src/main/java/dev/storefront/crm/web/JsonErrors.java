package dev.storefront.crm.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.MediaType;

/** Errors written by our filters, before any controller: the GraphQL error shape, so every client reads one format. */
final class JsonErrors {

    private JsonErrors() {
    }

    /** The code of an HTTP-level refusal, as the README's table names them. */
    static String codeOf(int status) {
        return switch (status) {
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "FORBIDDEN";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 429 -> "RATE_LIMITED";
            default -> status >= 500 ? "INTERNAL" : "VALIDATION";
        };
    }

    static void write(HttpServletResponse response, int status, String code, String message) throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        String json = "{\"errors\":[{\"message\":" + quoted(message) + ",\"extensions\":{\"code\":\"" + code + "\"}}]}";
        response.getOutputStream().write(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
