package dev.storefront.crm.storage;

import java.util.Map;

/**
 * One group of an aggregate: its key values by field api name (dates truncated to the period's
 * first day), how many entries it holds, and sum, avg, min and max per numeric field.
 */
public record AggregateGroup(Map<String, Object> key, long count, Map<String, Double> sum, Map<String, Double> avg,
                             Map<String, Double> min, Map<String, Double> max) {
}
