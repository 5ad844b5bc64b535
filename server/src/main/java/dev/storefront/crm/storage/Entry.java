package dev.storefront.crm.storage;

import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One stored row of the object named {@code object}. {@code values} holds each field's value by field api name, in the
 * types {@link dev.storefront.crm.metadata.FieldValues} produces (a relation holds the target id). An entry read
 * for some fields lacks the others; an update's answer that asked for neither version has them null.
 */
public record Entry(String object, long id, OffsetDateTime createdAt, OffsetDateTime updatedAt, Map<String, Object> values) {

    public Entry {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public Object get(String fieldApiName) {
        return values.get(fieldApiName);
    }
}
