package dev.storefront.crm.metadata;

import java.util.List;
import java.util.Map;

/**
 * A saved view: a named list of one object's entries, written with GraphQL names as a client
 * sees them. {@code filter} is a {@code where} object, {@code sort} an {@code orderBy} list,
 * {@code fields} the columns to show, and a kanban view groups by {@code kanbanField} (an enum).
 */
public record ViewDef(long id, String name, String object, Map<String, Object> filter, List<Map<String, Object>> sort,
                      List<String> fields, Type type, String kanbanField) {

    public enum Type { TABLE, KANBAN }

    public ViewDef {
        filter = filter == null ? Map.of() : filter;
        sort = sort == null ? List.of() : sort;
        fields = fields == null ? List.of() : List.copyOf(fields);
        type = type == null ? Type.TABLE : type;
    }

    public ViewDef withId(long newId) {
        return new ViewDef(newId, name, object, filter, sort, fields, type, kanbanField);
    }
}
