package dev.storefront.crm.imports.csv;

import dev.storefront.crm.api.FieldKind;
import dev.storefront.crm.api.imports.ImportMapping;
import dev.storefront.crm.metadata.ApiNames;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.metadata.ObjectDef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A mapping resolved against one file's header and the current model: which expression fills which
 * field, which relations are linked through a unique field of their target, and which unique
 * fields identify existing entries. Built before anything is written; any problem here is a
 * whole-file problem.
 */
record MappingPlan(ObjectDef object, List<Rule> rules, List<FieldDef> keys, List<String> ignoredColumns) {

    /**
     * @param via the unique field of the related object that {@code source} holds, or null when it
     *            holds the field's own value (for a relation: the target's id)
     */
    record Rule(FieldDef field, ObjectDef target, FieldDef via, SourceExpression source) {
    }

    /** The generic mapping of {@code csv:<object>}: every header column that names a field. */
    static ImportMapping fromHeader(ObjectDef object, MetadataSnapshot model, List<String> header, List<String> ignored) {
        Map<String, String> columns = new LinkedHashMap<>();
        for (String column : header) {
            String target = column.strip();
            // Computed fields (rollups, formulas) are the CRM's own: a file's column for one is left out.
            if (resolveTarget(object, model, target).filter(rule -> !rule.field().isComputed()).isPresent()) {
                columns.put(target, column);
            } else {
                ignored.add(column);
            }
        }
        return new ImportMapping(object.apiName(), List.of(), columns);
    }

    static MappingPlan resolve(ImportMapping mapping, MetadataSnapshot model, List<String> header, List<String> ignored) {
        ObjectDef object = model.find(mapping.object())
                .orElseThrow(() -> new ImportFileException("The mapping names object '" + mapping.object() + "', which does not exist"));
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            index.putIfAbsent(header.get(i), i);
        }
        List<String> missing = new ArrayList<>();
        List<Rule> rules = new ArrayList<>();
        for (Map.Entry<String, String> column : mapping.columns().entrySet()) {
            Rule target = resolveTarget(object, model, column.getKey()).orElseThrow(() -> new ImportFileException(
                    "The mapping names '" + column.getKey() + "', which is not a field of " + object.apiName()));
            if (target.field().isComputed()) {
                throw new ImportFileException("The mapping fills " + object.apiName() + "." + target.field().apiName()
                        + ", which the CRM computes (a rollup or formula) and cannot be imported");
            }
            if (rules.stream().anyMatch(r -> r.field().apiName().equals(target.field().apiName()))) {
                throw new ImportFileException("The mapping fills " + object.apiName() + "." + target.field().apiName() + " twice");
            }
            rules.add(new Rule(target.field(), target.target(), target.via(),
                    SourceExpression.parse(column.getValue(), index, missing)));
        }
        if (!missing.isEmpty()) {
            String message = "The file has no column " + String.join(", ", missing.stream().map(m -> "'" + m + "'").toList())
                    + " named by the mapping; its header is " + header;
            if ((header.get(0).contains(";") || header.get(0).contains("\t") || header.get(0).contains("|"))) {
                message += ". The header is one column: the file seems to use another delimiter than ','"
                        + " (pass delimiter=; or delimiter=tab)";
            }
            throw new ImportFileException(message);
        }
        if (rules.isEmpty()) {
            throw new ImportFileException("No column of the file maps to a field of " + object.apiName() + "; its header is " + header);
        }
        List<FieldDef> keys = new ArrayList<>();
        List<String> keyNames = mapping.keys();
        if (keyNames.isEmpty()) {
            rules.stream().filter(r -> r.via() == null && r.field().unique()).forEach(r -> keys.add(r.field()));
        }
        for (String name : keyNames) {
            FieldDef key = findField(object, name).filter(FieldDef::unique).orElseThrow(() -> new ImportFileException(
                    "Key '" + name + "' is not a unique field of " + object.apiName()));
            if (rules.stream().anyMatch(r -> r.field().equals(key) && r.via() == null)) {
                keys.add(key);
            }
        }
        return new MappingPlan(object, rules, keys, ignored);
    }

    /** {@code Full Name}, {@code full_name}, or {@code customer.email} / {@code Customer.Email}. */
    private static Optional<Rule> resolveTarget(ObjectDef object, MetadataSnapshot model, String target) {
        Optional<FieldDef> direct = findField(object, target);
        if (direct.isPresent()) {
            return direct.map(f -> new Rule(f, f.isRelation() ? model.find(f.relatedObject()).orElse(null) : null, null, null));
        }
        int dot = target.indexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        Optional<FieldDef> relation = findField(object, target.substring(0, dot)).filter(FieldDef::isRelation);
        if (relation.isEmpty()) {
            return Optional.empty();
        }
        Optional<ObjectDef> related = model.find(relation.get().relatedObject());
        if (related.isEmpty()) {
            return Optional.empty();
        }
        Optional<FieldDef> via = findField(related.get(), target.substring(dot + 1)).filter(FieldDef::unique);
        if (via.isEmpty() || via.get().kind() == FieldKind.RELATION) {
            return Optional.empty();
        }
        return Optional.of(new Rule(relation.get(), related.get(), via.get(), null));
    }

    private static Optional<FieldDef> findField(ObjectDef object, String name) {
        String wanted = name.strip();
        String lower = wanted.toLowerCase(Locale.ROOT);
        for (FieldDef field : object.fields()) {
            if (field.apiName().equals(wanted) || field.label().equalsIgnoreCase(wanted) || field.column().equals(wanted)
                    || field.apiName().equals(ApiNames.fromLabel(lower))) {
                return Optional.of(field);
            }
        }
        return Optional.empty();
    }
}
