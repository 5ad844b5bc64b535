package dev.storefront.crm.errors;

import java.util.LinkedHashMap;
import java.util.Map;

/** A value that a field refuses: wrong format, not an option, missing though required. */
public class InvalidValueException extends CrmException {

    public InvalidValueException(String object, String field, Object value, String problem) {
        super(ErrorCode.VALIDATION, describe(object, field, value, problem), details(object, field, value));
    }

    private static String describe(String object, String field, Object value, String problem) {
        String shown = value == null ? "" : " '" + value + "'";
        return object + "." + field + ":" + shown + " " + problem;
    }

    static Map<String, Object> details(String object, String field, Object value) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("object", object);
        details.put("field", field);
        if (value != null) {
            details.put("value", String.valueOf(value));
        }
        return details;
    }
}
