package dev.storefront.crm.graphql.fetchers;

import dev.storefront.crm.api.query.GroupBy;
import dev.storefront.crm.entries.EntryService;
import dev.storefront.crm.entries.WhereMapper;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.storage.AggregateGroup;
import graphql.schema.DataFetcher;
import java.util.List;
import java.util.Map;

public final class AggregateFetchers {

    private final EntryService entries;

    public AggregateFetchers(EntryService entries) {
        this.entries = entries;
    }

    public DataFetcher<List<AggregateGroup>> aggregate(MetadataSnapshot model, ObjectDef object) {
        return env -> {
            List<Map<String, Object>> groupBy = env.getArgument("groupBy");
            List<GroupBy> keys = groupBy == null ? List.of() : groupBy.stream()
                    .map(g -> new GroupBy((String) g.get("field"), (GroupBy.Granularity) g.get("granularity"))).toList();
            return entries.aggregate(model, object, new WhereMapper(model).filter(object, env.getArgument("where")), keys);
        };
    }
}
