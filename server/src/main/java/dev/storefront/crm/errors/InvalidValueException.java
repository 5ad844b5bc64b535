package dev.storefront.crm.errors;

import java.util.LinkedHashMap;
import java.util.Map;

/** A value that a field refuses: wrong format, not an option, missing though required. */
public class InvalidValueException extends CrmException {

    /** A refused value is echoed up to this many characters: enough to recognise it, never a whole upload. */
    static final int SHOWN_CHARACTERS = 100;

    public InvalidValueException(String object, String field, Object value, String problem) {
        super(ErrorCode.VALIDATION, describe(object, field, value, problem), details(object, field, value));
    }

    private static String describe(String object, String field, Object value, String problem) {
        String shown = value == null ? "" : " '" + shown(value) + "'";
        return object + "." + field + ":" + shown + " " + problem;
    }

    static Map<String, Object> details(String object, String field, Object value) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("object", object);
        details.put("field", field);
        if (value != null) {
            details.put("value", shown(value));
        }
        return details;
    }

    private static String shown(Object value) {
        String text = String.valueOf(value);
        return text.length() <= SHOWN_CHARACTERS ? text
                : text.substring(0, SHOWN_CHARACTERS) + "… (" + text.length() + " characters)";
    }
}
