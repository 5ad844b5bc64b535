package dev.storefront.crm.imports.csv;

import dev.storefront.crm.api.FieldKind;
import dev.storefront.crm.api.imports.ImportMapping;
import dev.storefront.crm.metadata.ApiNames;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.storage.CellSource;
import dev.storefront.crm.storage.ChunkPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A mapping resolved against one file's header and the current model: which source fills which
 * field, which relations are linked through a unique field of their target, and which unique
 * fields identify existing entries. Built before anything is written; any problem here is a
 * whole-file problem.
 *
 * @param sources the mapping's text of each rule's source, for the bad-row report
 */
record MappingPlan(ChunkPlan chunk, List<String> sources, List<String> ignoredColumns) {

    ObjectDef object() {
        return chunk.object();
    }

    /** The generic mapping of {@code csv:<object>}: every header column that names a field. */
    static ImportMapping fromHeader(ObjectDef object, MetadataSnapshot model, List<String> header, List<String> ignored) {
        Map<String, String> columns = new LinkedHashMap<>();
        for (String column : header) {
            String target = column.strip();
            // Computed fields (rollups, formulas) are the CRM's own: a file's column for one is left out.
            if (resolveTarget(object, model, target).filter(rule -> !rule.field().isComputed()).isPresent()) {
                columns.put(target, SourceExpression.quoted(column));
            } else {
                ignored.add(column);
            }
        }
        return new ImportMapping(object.apiName(), List.of(), columns);
    }

    static MappingPlan resolve(ImportMapping mapping, MetadataSnapshot model, List<String> header, List<String> ignored) {
        return resolve(mapping, model, header, ignored, false).orElseThrow();
    }

    /**
     * A further mapping of an importer ({@code CsvImporter.moreMappings}), or nothing when the file has
     * no column of any of its targets (an export made without those columns): as a target none of whose
     * columns the file has is left out, so is such a mapping.
     */
    static Optional<MappingPlan> resolveFurther(ImportMapping mapping, MetadataSnapshot model, List<String> header) {
        return resolve(mapping, model, header, new ArrayList<>(), true);
    }

    private static Optional<MappingPlan> resolve(ImportMapping mapping, MetadataSnapshot model, List<String> header, List<String> ignored,
                                                 boolean further) {
        ObjectDef object = model.find(mapping.object())
                .orElseThrow(() -> new ImportFileException("The mapping names object '" + mapping.object() + "', which does not exist"));
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            index.putIfAbsent(header.get(i), i);
        }
        List<String> missing = new ArrayList<>();
        CellSource items = mapping.items() == null ? null : SourceExpression.parse(mapping.items(), index, missing, new ArrayList<>());
        if (further && !missing.isEmpty()) {
            // An export made without the column of the items: it has none to write.
            return Optional.empty();
        }
        String itemsReported = items == null ? null : String.join(", ", columnsRead(items, header));
        List<ChunkPlan.Rule> rules = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (Map.Entry<String, String> column : mapping.columns().entrySet()) {
            boolean optional = column.getKey().strip().endsWith("?");
            String name = optional ? column.getKey().strip().substring(0, column.getKey().strip().length() - 1) : column.getKey();
            ChunkPlan.Rule target = resolveTarget(object, model, name).filter(t -> !optional || t.via() != null)
                    .orElseThrow(() -> new ImportFileException("The mapping names '" + column.getKey() + "', which is not "
                            + (optional ? "a relation through a unique field" : "a field") + " of " + object.apiName()));
            if (target.field().isComputed()) {
                throw new ImportFileException("The mapping fills " + object.apiName() + "." + target.field().apiName()
                        + ", which the CRM computes (a rollup or formula) and cannot be imported");
            }
            // Only optional links may share their relation: the first that finds an entry links it.
            if (rules.stream().anyMatch(r -> r.field().apiName().equals(target.field().apiName()) && !(optional && r.optional()))) {
                throw new ImportFileException("The mapping fills " + object.apiName() + "." + target.field().apiName() + " twice");
            }
            List<String> absent = new ArrayList<>();
            CellSource source = SourceExpression.parse(column.getValue(), index, missing, absent);
            List<String> read = columnsRead(source, header);
            if (!absent.isEmpty() && read.isEmpty()) {
                // This header variant has none of the target's columns: the field is left as stored, not emptied.
                continue;
            }
            if (readsItem(source) && items == null) {
                throw new ImportFileException("The mapping source \"" + column.getValue() + "\" reads an item, but the mapping names no items column");
            }
            rules.add(new ChunkPlan.Rule(target.field(), target.target(), target.via(), source, optional));
            String reported = reported(column.getValue().strip(), source, header);
            sources.add(source instanceof CellSource.ItemField field ? itemsReported + " (" + field.key() + ")"
                    : readsItem(source) ? itemsReported + (reported.isEmpty() ? "" : ", " + reported) : reported);
        }
        CellSource when = mapping.when() == null ? null : SourceExpression.parse(mapping.when(), index, missing, new ArrayList<>());
        if (when != null) {
            columnsRead(when, header);
        }
        if (!missing.isEmpty()) {
            String message = "The file has no column " + String.join(", ", missing.stream().distinct().map(m -> "'" + m + "'").toList())
                    + " named by the mapping; its header is " + header;
            if ((header.get(0).contains(";") || header.get(0).contains("\t") || header.get(0).contains("|"))) {
                message += ". The header is one column: the file seems to use another delimiter than ','"
                        + " (pass delimiter=; or delimiter=tab)";
            }
            throw new ImportFileException(message);
        }
        if (rules.isEmpty() && further) {
            return Optional.empty();
        }
        if (rules.isEmpty()) {
            throw new ImportFileException("No column of the file maps to a field of " + object.apiName() + "; its header is " + header);
        }
        List<FieldDef> keys = new ArrayList<>();
        List<String> keyNames = mapping.keys();
        if (keyNames.isEmpty()) {
            rules.stream().filter(r -> r.target() == null && r.field().unique()).forEach(r -> keys.add(r.field()));
        }
        for (String name : keyNames) {
            FieldDef key = findField(object, name).filter(FieldDef::unique).orElseThrow(() -> new ImportFileException(
                    "Key '" + name + "' is not a unique field of " + object.apiName()));
            if (rules.stream().anyMatch(r -> r.field().equals(key) && r.target() == null)) {
                keys.add(key);
            }
        }
        return Optional.of(new MappingPlan(new ChunkPlan(object, rules, keys, when, items, mapping.createOnly(), mapping.keepStored()), sources, ignored));
    }

    /**
     * The columns {@code source} reads; one whose name the header has more than once (ignoring case) is
     * refused: taking the first would drop the other's values without a word.
     */
    private static List<String> columnsRead(CellSource source, List<String> header) {
        List<String> read = new ArrayList<>();
        columnsOf(source, header, read);
        for (String name : read) {
            List<String> positions = new ArrayList<>();
            for (int i = 0; i < header.size(); i++) {
                if (header.get(i).equalsIgnoreCase(name)) {
                    positions.add(String.valueOf(i + 1));
                }
            }
            if (positions.size() > 1) {
                throw new ImportFileException("The file has " + positions.size() + " columns named '" + name + "' (columns "
                        + String.join(" and ", positions) + "): rename or remove all but one, so that it is clear which to import");
            }
        }
        return read;
    }

    /**
     * What the bad-row report calls a source: a column as the file names it, a plain combination
     * as the mapping writes it ({@code billing_email | email}), and the columns a function reads.
     */
    private static String reported(String text, CellSource source, List<String> header) {
        if (source instanceof CellSource.Column column) {
            return header.get(column.index());
        }
        List<String> columns = new ArrayList<>();
        boolean plain = columnsOf(source, header, columns);
        return plain ? text : String.join(", ", columns.stream().distinct().toList());
    }

    /** Adds the columns {@code source} reads; true when it only joins and falls back, with no function. */
    private static boolean columnsOf(CellSource source, List<String> header, List<String> columns) {
        if (source instanceof CellSource.Column column) {
            columns.add(header.get(column.index()));
            return true;
        }
        if (source instanceof CellSource.Literal) {
            return true;
        }
        if (source instanceof CellSource.ItemField) {
            return false;
        }
        boolean plain = source instanceof CellSource.Joined || source instanceof CellSource.FirstOf;
        for (CellSource part : parts(source)) {
            plain &= columnsOf(part, header, columns);
        }
        return plain;
    }

    /** The sources a combination or function reads. */
    private static List<CellSource> parts(CellSource source) {
        return source instanceof CellSource.Joined joined ? joined.parts()
                : source instanceof CellSource.FirstOf first ? first.parts()
                : source instanceof CellSource.Concat concat ? concat.parts()
                : source instanceof CellSource.NullIf nullIf ? List.of(nullIf.source())
                : source instanceof CellSource.TrimStart trim ? List.of(trim.source())
                : source instanceof CellSource.Translate translate ? List.of(translate.source())
                : source instanceof CellSource.IfPresent present ? List.of(present.source())
                : source instanceof CellSource.Pick pick ? List.of(pick.source())
                : source instanceof CellSource.LocalTime local ? List.of(local.source())
                : source instanceof CellSource.StoreDay day ? List.of(day.source())
                : source instanceof CellSource.Unless unless ? List.of(unless.present(), unless.source())
                : source instanceof CellSource.Quotient quotient ? List.of(quotient.dividend(), quotient.divisor())
                : source instanceof CellSource.OnLowestItem lowest ? List.of(lowest.source())
                : List.of(((CellSource.Money) source).source());
    }

    /** Whether {@code source} reads a field of an item ({@code item('sku')}) anywhere in it. */
    private static boolean readsItem(CellSource source) {
        if (source instanceof CellSource.ItemField || source instanceof CellSource.OnLowestItem) {
            return true;
        }
        if (source instanceof CellSource.Column || source instanceof CellSource.Literal) {
            return false;
        }
        return parts(source).stream().anyMatch(MappingPlan::readsItem);
    }

    /** {@code Full Name}, {@code full_name}, or {@code customer.email} / {@code Customer.Email}. */
    private static Optional<ChunkPlan.Rule> resolveTarget(ObjectDef object, MetadataSnapshot model, String target) {
        Optional<FieldDef> direct = findField(object, target);
        if (direct.isPresent()) {
            return direct.map(f -> new ChunkPlan.Rule(f, f.isRelation() ? model.find(f.relatedObject()).orElse(null) : null, null, null));
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
        return Optional.of(new ChunkPlan.Rule(relation.get(), related.get(), via.get(), null));
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
