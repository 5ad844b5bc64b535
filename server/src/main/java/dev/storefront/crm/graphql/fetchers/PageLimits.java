package dev.storefront.crm.graphql.fetchers;

/** How large a page may be when a client asks for none or for too many. */
public record PageLimits(int defaultSize, int maxSize, int maxBatchSize) {
}
