package dev.storefront.crm.storage;

import java.util.Map;

/**
 * One group of an aggregate: its key values by field api name (dates truncated to the period's
 * first day), how many entries it holds, and sum, avg, min and max per numeric field, exact: BigDecimal
 * for numbers and averages, Long or BigInteger for integers.
 */
public record AggregateGroup(Map<String, Object> key, long count, Map<String, Object> sum, Map<String, Object> avg,
                             Map<String, Object> min, Map<String, Object> max) {
}
