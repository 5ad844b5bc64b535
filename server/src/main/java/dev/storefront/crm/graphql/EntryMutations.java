package dev.storefront.crm.graphql;

import dev.storefront.crm.graphql.types.TypeNames;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.metadata.ObjectDef;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Which root mutations write entries, and of which object; recomputed when the model's version changes. */
final class EntryMutations {

    private record Index(long version, Map<String, ObjectDef> objects) {
    }

    private final Supplier<MetadataSnapshot> model;
    private volatile Index index = new Index(-1, Map.of());

    EntryMutations(Supplier<MetadataSnapshot> model) {
        this.model = model;
    }

    /** The object {@code mutation} writes entries of, or null when it is not an entry mutation. */
    ObjectDef object(String mutation) {
        MetadataSnapshot snapshot = model.get();
        Index known = index;
        if (known.version() != snapshot.version()) {
            Map<String, ObjectDef> objects = new HashMap<>();
            for (ObjectDef object : snapshot.objects()) {
                for (String name : List.of(TypeNames.create(object), TypeNames.createMany(object), TypeNames.update(object),
                        TypeNames.upsert(object), TypeNames.delete(object), TypeNames.increment(object))) {
                    objects.put(name, object);
                }
            }
            known = new Index(snapshot.version(), objects);
            index = known;
        }
        return known.objects().get(mutation);
    }
}
