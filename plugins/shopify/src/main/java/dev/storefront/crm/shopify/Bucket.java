package dev.storefront.crm.shopify;

import java.util.Map;

/**
 * Shopify's leaky bucket for one store as its last answer described it ({@code extensions.cost}):
 * points available, restored per second, and what the last query asked for. The next query waits
 * until the bucket, restored since that answer, holds as much as the last one cost.
 */
final class Bucket {

    private double available = Double.MAX_VALUE;
    private double restoreRate = 1;
    private double lastCost;
    private long answeredAt = System.nanoTime();

    synchronized void update(Map<String, Object> cost) {
        if (!(cost.get("throttleStatus") instanceof Map<?, ?> status)) {
            return;
        }
        available = ((Number) status.get("currentlyAvailable")).doubleValue();
        restoreRate = ((Number) status.get("restoreRate")).doubleValue();
        lastCost = cost.get("requestedQueryCost") instanceof Number n ? n.doubleValue() : lastCost;
        answeredAt = System.nanoTime();
    }

    void awaitRoom() throws InterruptedException {
        long wait;
        synchronized (this) {
            double restored = available + restoreRate * (System.nanoTime() - answeredAt) / 1e9;
            wait = restored >= lastCost ? 0 : (long) Math.ceil((lastCost - restored) / restoreRate * 1000);
        }
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }
}
