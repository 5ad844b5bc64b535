package dev.storefront.crm.web;

import dev.storefront.crm.errors.CrmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Errors of our plain HTTP endpoints, as {@code {"error": {"code", "message", ...details}}}; the same codes as GraphQL. */
@RestControllerAdvice(basePackageClasses = WebErrors.class)
class WebErrors {

    private static final Logger log = LoggerFactory.getLogger(WebErrors.class);

    @ExceptionHandler(CrmException.class)
    ResponseEntity<Map<String, Object>> crm(CrmException e) {
        HttpStatus status = switch (e.code()) {
            case VALIDATION -> HttpStatus.BAD_REQUEST;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
            case INTERNAL -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
        if (status == HttpStatus.INTERNAL_SERVER_ERROR) {
            return internal(e);
        }
        Map<String, Object> error = new LinkedHashMap<>(e.details());
        error.put("code", e.code().name());
        error.put("message", e.getMessage());
        return ResponseEntity.status(status).body(Map.of("error", error));
    }

    @ExceptionHandler(tools.jackson.core.JacksonException.class)
    ResponseEntity<Map<String, Object>> badJson(tools.jackson.core.JacksonException e) {
        return ResponseEntity.badRequest().body(Map.of("error", Map.of("code", "VALIDATION",
                "message", "Not valid JSON: " + e.getOriginalMessage())));
    }

    private static ResponseEntity<Map<String, Object>> internal(Exception e) {
        String incident = UUID.randomUUID().toString();
        log.error("Incident {}", incident, e);
        return ResponseEntity.internalServerError().body(Map.of("error", Map.of("code", "INTERNAL",
                "message", "Internal error, incident " + incident, "incident", incident)));
    }
}
