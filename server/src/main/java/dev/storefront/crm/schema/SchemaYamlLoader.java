package dev.storefront.crm.schema;

import dev.storefront.crm.api.FieldKind;
import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import dev.storefront.crm.metadata.ApiNames;
import dev.storefront.crm.metadata.FieldDef;
import dev.storefront.crm.metadata.FieldValues;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.metadata.ObjectDef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Applies the model declared in {@code schema/*.yaml}: creates missing objects and fields and
 * updates changed ones, never deletes. Running it twice changes nothing. All files are applied in
 * one transaction; a change that would lose data stops it with the file, object and field named.
 */
public class SchemaYamlLoader {

    private static final Logger log = LoggerFactory.getLogger(SchemaYamlLoader.class);
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final SchemaService schema;

    public SchemaYamlLoader(SchemaService schema) {
        this.schema = schema;
    }

    /** Returns how many changes were applied (0 when the database already matches). */
    public int apply(Path directory) {
        Map<String, Path> files = new LinkedHashMap<>();
        List<ObjectYaml> documents = read(directory, files);
        List<SchemaChange> changes = plan(schema.current(), documents);
        try {
            schema.apply(changes);
        } catch (CrmException e) {
            Path file = files.get(String.valueOf(e.details().get("object")));
            throw new CrmException(e.code(), (file == null ? directory : file) + ": " + e.getMessage(), e.details());
        }
        log.info("Schema {}: {} objects declared, {} changes applied", directory, documents.size(), changes.size());
        return changes.size();
    }

    /**
     * Applies object documents given as text (a plugin's schema contribution), in the same format
     * and with the same rules as the files of {@code schema/}. {@code source} names them in errors.
     */
    public int applyDocuments(String source, List<String> yamlDocuments) {
        List<ObjectYaml> documents = new ArrayList<>();
        for (int i = 0; i < yamlDocuments.size(); i++) {
            String name = source + " document " + (i + 1);
            try {
                ObjectYaml document = YAML.readValue(yamlDocuments.get(i), ObjectYaml.class);
                if (document == null || document.object() == null || document.singular() == null || document.plural() == null) {
                    throw new CrmException(ErrorCode.VALIDATION, name + ": needs 'object', 'singular' and 'plural'");
                }
                for (ObjectYaml.FieldYaml field : document.fields() == null ? List.<ObjectYaml.FieldYaml>of() : document.fields()) {
                    checkType(Path.of(source), document, field);
                }
                documents.add(document);
            } catch (JacksonException e) {
                throw new CrmException(ErrorCode.VALIDATION, name + ": not a valid schema document: " + e.getOriginalMessage());
            }
        }
        List<SchemaChange> changes = plan(schema.current(), documents);
        try {
            schema.apply(changes);
        } catch (CrmException e) {
            throw new CrmException(e.code(), source + ": " + e.getMessage(), e.details());
        }
        log.info("Schema from {}: {} objects declared, {} changes applied", source, documents.size(), changes.size());
        return changes.size();
    }

    private static List<ObjectYaml> read(Path directory, Map<String, Path> files) {
        if (!Files.isDirectory(directory)) {
            log.warn("Schema folder {} does not exist; no model declared", directory.toAbsolutePath());
            return List.of();
        }
        List<ObjectYaml> documents = new ArrayList<>();
        try (Stream<Path> listing = Files.list(directory)) {
            for (Path file : listing.filter(SchemaYamlLoader::isYaml).sorted().toList()) {
                ObjectYaml document = parse(file);
                files.put(document.object(), file);
                documents.add(document);
            }
        } catch (IOException e) {
            throw new CrmException(ErrorCode.VALIDATION, "Cannot read schema folder " + directory + ": " + e.getMessage());
        }
        return documents;
    }

    private static boolean isYaml(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }

    private static ObjectYaml parse(Path file) {
        try {
            ObjectYaml document = YAML.readValue(file.toFile(), ObjectYaml.class);
            if (document == null || document.object() == null || document.singular() == null || document.plural() == null) {
                throw new CrmException(ErrorCode.VALIDATION, file + ": needs 'object', 'singular' and 'plural'");
            }
            for (ObjectYaml.FieldYaml field : document.fields() == null ? List.<ObjectYaml.FieldYaml>of() : document.fields()) {
                checkType(file, document, field);
            }
            return document;
        } catch (JacksonException e) {
            throw new CrmException(ErrorCode.VALIDATION, file + ": not a valid schema file: " + e.getOriginalMessage());
        }
    }

    private static void checkType(Path file, ObjectYaml document, ObjectYaml.FieldYaml field) {
        String at = file + ": " + document.object() + "." + field.name();
        Map<String, Object> details = Map.of("object", document.object(), "field", String.valueOf(field.name()));
        boolean computed = field.type() != null && ObjectYaml.FieldYaml.COMPUTED_TYPES.contains(field.type().strip().toLowerCase());
        boolean known = computed || field.type() != null && Arrays.stream(FieldKind.values())
                .anyMatch(kind -> kind.name().equalsIgnoreCase(field.type().strip().replace('-', '_')));
        if (!known) {
            throw new CrmException(ErrorCode.VALIDATION, at + ": type must be one of "
                    + Arrays.toString(FieldKind.values()).toLowerCase() + ", rollup or formula", details);
        }
        try {
            if (computed && (field.computed() == null || field.kind() == null)) {
                throw new CrmException(ErrorCode.VALIDATION, at + ": a " + field.type() + " field needs its '" + field.type()
                        + "' definition", details);
            }
        } catch (IllegalArgumentException e) {
            throw new CrmException(ErrorCode.VALIDATION, at + ": rollup aggregate must be one of count, count_distinct,"
                    + " sum, avg, min, max, and result one of integer, number, date, datetime", details);
        }
    }

    /**
     * Objects first with their plain fields, relation fields after all objects exist, so files may
     * point at each other in any order.
     */
    static List<SchemaChange> plan(MetadataSnapshot current, List<ObjectYaml> documents) {
        List<SchemaChange> creates = new ArrayList<>();
        List<SchemaChange> later = new ArrayList<>();
        List<SchemaChange> computedLast = new ArrayList<>();
        for (ObjectYaml document : documents) {
            List<ObjectYaml.FieldYaml> fields = document.fields() == null ? List.of() : document.fields();
            ObjectDef existing = current.find(document.object()).orElse(null);
            if (existing == null) {
                List<FieldSpec> plain = fields.stream().filter(f -> f.kind() != FieldKind.RELATION && f.computed() == null)
                        .map(ObjectYaml.FieldYaml::toSpec).toList();
                creates.add(new SchemaChange.CreateObject(document.object(), document.singular(), document.plural(),
                        document.description(), plain));
                fields.stream().filter(f -> f.kind() == FieldKind.RELATION)
                        .forEach(f -> later.add(new SchemaChange.AddField(document.object(), f.toSpec())));
                // Rollups read other objects' relations, so they come after every relation exists.
                fields.stream().filter(f -> f.computed() != null)
                        .forEach(f -> computedLast.add(new SchemaChange.AddField(document.object(), f.toSpec())));
                continue;
            }
            for (ObjectYaml.FieldYaml field : fields) {
                FieldSpec spec = field.toSpec();
                String apiName = spec.apiName() != null ? spec.apiName() : ApiNames.fromLabel(spec.label());
                existing.field(apiName).ifPresentOrElse(
                        stored -> patchFor(document.object(), stored, spec)
                                .ifPresent(p -> later.add(new SchemaChange.UpdateField(document.object(), apiName, p))),
                        () -> later.add(new SchemaChange.AddField(document.object(), spec)));
            }
        }
        creates.addAll(later);
        creates.addAll(computedLast);
        return creates;
    }

    private static Optional<FieldPatch> patchFor(String object, FieldDef stored, FieldSpec wanted) {
        if (wanted.kind() == FieldKind.RELATION && !Objects.equals(wanted.relatedObject(), stored.relatedObject())) {
            throw new CrmException(ErrorCode.CONFLICT, object + "." + stored.apiName() + ": the related object cannot change from '"
                    + stored.relatedObject() + "' to '" + wanted.relatedObject() + "'", Map.of("object", object, "field", stored.apiName()));
        }
        boolean defaultChanged = wanted.defaultValue() != null
                && !Objects.equals(normalisedDefault(object, stored, wanted), FieldValues.toText(stored.defaultValue()));
        FieldPatch patch = new FieldPatch(
                wanted.label().equals(stored.label()) ? null : wanted.label(),
                null,
                wanted.kind() == stored.kind() ? null : wanted.kind(),
                wanted.required() == stored.required() ? null : wanted.required(),
                wanted.unique() == stored.unique() ? null : wanted.unique(),
                defaultChanged ? wanted.defaultValue() : null,
                wanted.defaultValue() == null && stored.defaultValue() != null,
                wanted.options().equals(stored.options()) ? null : wanted.options(),
                Objects.equals(wanted.description(), stored.description()) ? null : wanted.description(),
                Objects.equals(wanted.computed(), stored.computed()) ? null : wanted.computed(),
                Objects.equals(wanted.scale(), stored.scale()) ? null : wanted.scale());
        return patch.equals(FieldPatch.none()) ? Optional.empty() : Optional.of(patch);
    }

    private static String normalisedDefault(String object, FieldDef stored, FieldSpec wanted) {
        FieldDef shape = new FieldDef(stored.apiName(), stored.label(), wanted.kind(), false, false, null,
                wanted.options(), stored.relatedObject(), 0, null, null, wanted.scale());
        Object raw = wanted.defaultValue();
        Object value = raw instanceof String text ? FieldValues.fromText(object, shape, text) : FieldValues.convert(object, shape, raw);
        return FieldValues.toText(value);
    }
}
