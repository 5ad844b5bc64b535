package dev.storefront.crm.errors;

import java.util.Map;

public class NotFoundException extends CrmException {

    public NotFoundException(String message, Map<String, Object> details) {
        super(ErrorCode.NOT_FOUND, message, details);
    }

    public static NotFoundException object(String apiName) {
        return new NotFoundException("No object named '" + apiName + "'", Map.of("object", apiName));
    }

    public static NotFoundException field(String object, String field) {
        return new NotFoundException("No field '" + field + "' on object '" + object + "'",
                Map.of("object", object, "field", field));
    }

    public static NotFoundException entry(String object, Object id) {
        return new NotFoundException("No " + object + " entry with id " + id,
                Map.of("object", object, "id", String.valueOf(id)));
    }
}
