package dev.storefront.crm.shopify;

import java.util.Map;

/**
 * Shopify's leaky bucket for one store as its last answer described it ({@code extensions.cost}): points
 * available and restored per second. Shopify answers THROTTLED to a query whose requested cost the bucket
 * does not hold, and keeps only the actual cost of one that ran: the next query waits until the bucket,
 * restored since that answer, holds the next query's own requested cost (a page of orders and the rest of an
 * order's lines ask for very different figures).
 */
final class Bucket {

    private double available = Double.MAX_VALUE;
    private double restoreRate = 1;
    private long answeredAt = System.nanoTime();

    synchronized void update(Map<String, Object> cost) {
        if (!(cost.get("throttleStatus") instanceof Map<?, ?> status)) {
            return;
        }
        available = ((Number) status.get("currentlyAvailable")).doubleValue();
        restoreRate = ((Number) status.get("restoreRate")).doubleValue();
        answeredAt = System.nanoTime();
    }

    /** Waits until the bucket holds {@code requested}, a query's requested cost as Shopify reckons it. */
    void awaitRoom(int requested) throws InterruptedException {
        long wait;
        synchronized (this) {
            double restored = available + restoreRate * (System.nanoTime() - answeredAt) / 1e9;
            wait = restored >= requested ? 0 : (long) Math.ceil((requested - restored) / restoreRate * 1000);
        }
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }
}
