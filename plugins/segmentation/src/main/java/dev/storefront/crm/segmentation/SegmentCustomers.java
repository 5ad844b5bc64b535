package dev.storefront.crm.segmentation;

import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.PluginException;
import dev.storefront.crm.api.graphql.FilteredList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * {@code segmentCustomers(segment:, ruleSet:)}: the customers of a segment as the core
 * {@code CustomerConnection}, filterable, sortable and paged like {@code customers}, and exported by
 * {@code GET /export/customers.csv?list=segmentCustomers&segment=VIP}. Members are the customers whose
 * Customer Segment (set by the last reclassification) is the segment; the rule set (default the
 * configured one) must have a segment of that name.
 */
@Extension
public class SegmentCustomers implements FilteredList {

    @Override
    public String name() {
        return "segmentCustomers";
    }

    @Override
    public String object() {
        return "customers";
    }

    @Override
    public String description() {
        return "The customers of a segment (as the last reclassification left them), like customers";
    }

    @Override
    public Map<String, String> arguments() {
        Map<String, String> arguments = new LinkedHashMap<>();
        arguments.put("segment", "String!");
        arguments.put("ruleSet", "String");
        return arguments;
    }

    @Override
    public Map<String, Object> where(Map<String, Object> arguments, PluginContext context) {
        RuleSet rules = RuleSet.shipped(SegmentationGraphQl.ruleSet(context, (String) arguments.get("ruleSet")));
        String segment = (String) arguments.get("segment");
        List<String> names = rules.segments().stream().map(RuleSet.Segment::name).toList();
        if (!names.contains(segment)) {
            throw new PluginException("segmentation.segment", "segment: rule set " + rules.name() + " has no segment '" + segment
                    + "'; its segments: " + String.join(", ", names));
        }
        return Map.of("customerSegment", Map.of("eq", segment));
    }

    @Override
    public List<String> exportFields() {
        return List.of("fullName", "email", "lastPurchaseDate", "lifetimeValue");
    }
}
