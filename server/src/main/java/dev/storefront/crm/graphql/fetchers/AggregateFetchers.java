package dev.storefront.crm.graphql.fetchers;

import dev.storefront.crm.api.query.GroupBy;
import dev.storefront.crm.entries.EntryService;
import dev.storefront.crm.entries.WhereMapper;
import dev.storefront.crm.metadata.MetadataSnapshot;
import dev.storefront.crm.metadata.ObjectDef;
import dev.storefront.crm.storage.AggregateGroup;
import dev.storefront.crm.metadata.FieldNames;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

public final class AggregateFetchers {

    private static final List<String> STATISTICS = List.of("sum", "avg", "min", "max");

    private final EntryService entries;

    public AggregateFetchers(EntryService entries) {
        this.entries = entries;
    }

    public DataFetcher<List<AggregateGroup>> aggregate(MetadataSnapshot model, ObjectDef object) {
        return env -> {
            List<Map<String, Object>> groupBy = env.getArgument("groupBy");
            List<GroupBy> keys = groupBy == null ? List.of() : groupBy.stream()
                    .map(g -> new GroupBy((String) g.get("field"), (GroupBy.Granularity) g.get("granularity"))).toList();
            return entries.aggregate(model, object, new WhereMapper(model).filter(object, env.getArgument("where")), keys,
                    wanted(object, env));
        };
    }

    /** The statistics the query selects, so the statement computes nothing the answer leaves out. */
    private static Set<String> wanted(ObjectDef object, DataFetchingEnvironment env) {
        Set<String> wanted = new HashSet<>();
        for (String statistic : STATISTICS) {
            for (String selected : SelectedNames.at(env, statistic + "/*")) {
                object.fields().stream().filter(f -> FieldNames.of(f).equals(selected))
                        .forEach(f -> wanted.add(statistic + ":" + f.apiName()));
            }
        }
        return wanted;
    }
}
