package dev.storefront.crm.metadata;

import java.util.List;
import java.util.Optional;

/**
 * An object (customers, orders, ...): one DuckDB table named {@link #apiName()}, one column per field
 * plus the system columns {@code id}, {@code created_at}, {@code updated_at}.
 *
 * @param apiName         plural snake_case name, also the table name ({@code support_tickets})
 * @param singularApiName singular snake_case name, fixed at creation so GraphQL names stay stable
 *                        when labels change ({@code support_ticket} → type {@code SupportTicket})
 */
public record ObjectDef(
        String apiName,
        String singularApiName,
        String singularLabel,
        String pluralLabel,
        String description,
        List<FieldDef> fields) {

    public ObjectDef {
        fields = List.copyOf(fields);
    }

    public Optional<FieldDef> field(String fieldApiName) {
        // A loop, not a stream: a write looks up each input value's field (60,000 times for a bulk create of 10,000).
        for (FieldDef field : fields) {
            if (field.apiName().equals(fieldApiName)) {
                return Optional.of(field);
            }
        }
        return Optional.empty();
    }

    /** A field, or one of the system columns every entry has ({@code id}, {@code created_at}, {@code updated_at}). */
    public Optional<FieldDef> fieldOrSystem(String fieldApiName) {
        return field(fieldApiName).or(() -> SystemFields.find(fieldApiName));
    }

    public List<FieldDef> uniqueFields() {
        return fields.stream().filter(FieldDef::unique).toList();
    }

    public List<FieldDef> relationFields() {
        return fields.stream().filter(FieldDef::isRelation).toList();
    }

    public ObjectDef withFields(List<FieldDef> newFields) {
        return new ObjectDef(apiName, singularApiName, singularLabel, pluralLabel, description, newFields);
    }
}
