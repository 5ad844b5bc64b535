package dev.storefront.crm.demo;

import java.util.ArrayList;
import java.util.List;

/** Choices drawn in proportion to their weights, such as a store's mix of acquisition sources. */
final class Weighted<T> {

    private final List<T> items;
    private final List<Integer> weights;

    private Weighted(List<T> items, List<Integer> weights) {
        this.items = List.copyOf(items);
        this.weights = List.copyOf(weights);
    }

    static <T> Weighted<T> of(T item, int weight) {
        return new Weighted<>(List.of(item), List.of(weight));
    }

    Weighted<T> or(T item, int weight) {
        List<T> moreItems = new ArrayList<>(items);
        moreItems.add(item);
        List<Integer> moreWeights = new ArrayList<>(weights);
        moreWeights.add(weight);
        return new Weighted<>(moreItems, moreWeights);
    }

    T draw(DemoRandom random) {
        int total = weights.stream().mapToInt(Integer::intValue).sum();
        int roll = random.between(1, total);
        for (int i = 0; i < items.size(); i++) {
            roll -= weights.get(i);
            if (roll <= 0) {
                return items.get(i);
            }
        }
        throw new IllegalStateException("unreachable: the roll never exceeds the total weight");
    }
}
