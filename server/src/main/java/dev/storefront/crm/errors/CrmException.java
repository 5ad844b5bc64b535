package dev.storefront.crm.errors;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every error we mean a client to read. The message is written for people; {@link #details()}
 * names the object, field and value involved so programs need not parse the message.
 */
public class CrmException extends RuntimeException {

    private final ErrorCode code;
    private final Map<String, Object> details;

    public CrmException(ErrorCode code, String message, Map<String, Object> details) {
        super(message);
        this.code = code;
        this.details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    public CrmException(ErrorCode code, String message) {
        this(code, message, Map.of());
    }

    public ErrorCode code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }
}
