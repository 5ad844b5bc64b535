package dev.storefront.crm.metadata;

import dev.storefront.crm.errors.NotFoundException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * All objects and fields at one moment. Immutable: a change produces a new snapshot with a higher
 * version, and everything built from a snapshot (GraphQL schema, fetchers) keeps using the one it
 * was built from, so a request sees one consistent model from start to finish.
 */
public final class MetadataSnapshot {

    private final long version;
    private final Map<String, ObjectDef> objects;
    private final List<String> orderedNames;
    /**
     * Indexed on first use, by whichever thread asks first (a race only indexes twice): a batch of
     * model changes makes a snapshot per change and asks few of them, so a start that declares a
     * thousand objects does not index the whole model thousands of times.
     */
    private volatile Map<String, List<ReverseRelation>> reverseRelations;

    public MetadataSnapshot(long version, Collection<ObjectDef> objects) {
        this.version = version;
        Map<String, ObjectDef> byName = new LinkedHashMap<>();
        objects.forEach(o -> byName.put(o.apiName(), o));
        this.objects = Map.copyOf(byName);
        this.orderedNames = List.copyOf(byName.keySet());
    }

    public static MetadataSnapshot empty() {
        return new MetadataSnapshot(0, List.of());
    }

    public long version() {
        return version;
    }

    public List<ObjectDef> objects() {
        return orderedNames.stream().map(objects::get).toList();
    }

    public Optional<ObjectDef> find(String apiName) {
        return Optional.ofNullable(objects.get(apiName));
    }

    public ObjectDef object(String apiName) {
        return find(apiName).orElseThrow(() -> NotFoundException.object(apiName));
    }

    public FieldDef field(String objectApiName, String fieldApiName) {
        return object(objectApiName).field(fieldApiName)
                .orElseThrow(() -> NotFoundException.field(objectApiName, fieldApiName));
    }

    /** The reverse lists that relation fields elsewhere give {@code target}, in a stable order. */
    public List<ReverseRelation> reverseRelationsOf(String target) {
        Map<String, List<ReverseRelation>> index = reverseRelations;
        if (index == null) {
            index = indexReverseRelations();
            reverseRelations = index;
        }
        return index.getOrDefault(target, List.of());
    }

    public MetadataSnapshot with(ObjectDef changed) {
        List<ObjectDef> next = new ArrayList<>(objects());
        int index = orderedNames.indexOf(changed.apiName());
        if (index >= 0) {
            next.set(index, changed);
        } else {
            next.add(changed);
        }
        return new MetadataSnapshot(version + 1, next);
    }

    public MetadataSnapshot without(String apiName) {
        return new MetadataSnapshot(version + 1,
                objects().stream().filter(o -> !o.apiName().equals(apiName)).toList());
    }

    public MetadataSnapshot withVersion(long newVersion) {
        return new MetadataSnapshot(newVersion, objects());
    }

    /**
     * A reverse list is named after its source object ({@code orders}); when that name is taken on the
     * target, by a field or by another relation from the same source, it becomes
     * {@code <source>_by_<field>}. Sources are visited in object order, so existing names never move.
     */
    private Map<String, List<ReverseRelation>> indexReverseRelations() {
        Map<String, List<ReverseRelation>> index = new LinkedHashMap<>();
        Map<String, Set<String>> taken = new LinkedHashMap<>();
        for (ObjectDef source : objects()) {
            for (FieldDef field : source.relationFields()) {
                ObjectDef target = objects.get(field.relatedObject());
                if (target == null) {
                    continue;
                }
                Set<String> names = taken.computeIfAbsent(target.apiName(), t -> namesOf(target));
                String name = source.apiName();
                if (!names.add(name)) {
                    name = source.apiName() + "_by_" + field.apiName();
                    names.add(name);
                }
                index.computeIfAbsent(target.apiName(), t -> new ArrayList<>())
                        .add(new ReverseRelation(source, field, name));
            }
        }
        index.replaceAll((k, v) -> List.copyOf(v));
        return Map.copyOf(index);
    }

    private static Set<String> namesOf(ObjectDef target) {
        Set<String> names = new HashSet<>(ApiNames.SYSTEM_COLUMNS);
        target.fields().forEach(f -> {
            names.add(f.apiName());
            names.add(f.column());
        });
        return names;
    }
}
