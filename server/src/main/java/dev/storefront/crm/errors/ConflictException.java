package dev.storefront.crm.errors;

import java.util.Map;

/** The request is well-formed but clashes with what is stored. */
public class ConflictException extends CrmException {

    public ConflictException(String message, Map<String, Object> details) {
        super(ErrorCode.CONFLICT, message, details);
    }

    public ConflictException(String message) {
        super(ErrorCode.CONFLICT, message);
    }
}
