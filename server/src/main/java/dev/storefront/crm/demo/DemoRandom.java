package dev.storefront.crm.demo;

import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/** Every draw of a demo store goes through here, so one seed fixes the whole store. */
final class DemoRandom {

    private final SplittableRandom random;

    DemoRandom(long seed) {
        this(new SplittableRandom(seed));
    }

    private DemoRandom(SplittableRandom random) {
        this.random = random;
    }

    /**
     * An independent stream for one stage of generation, so a stage that starts drawing more or
     * fewer numbers leaves the data of every other stage as it was.
     */
    DemoRandom split() {
        return new DemoRandom(random.split());
    }

    /** A whole number from {@code min} to {@code max}, both included. */
    int between(int min, int max) {
        return random.nextInt(min, max + 1);
    }

    boolean chance(double probability) {
        return random.nextDouble() < probability;
    }

    /** A number from 0 (included) to 1 (excluded). */
    double unit() {
        return random.nextDouble();
    }

    <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    /** The items in a random order; the given list is left alone. */
    <T> List<T> shuffled(List<T> items) {
        List<T> copy = new ArrayList<>(items);
        for (int i = copy.size() - 1; i > 0; i--) {
            Collections.swap(copy, i, random.nextInt(i + 1));
        }
        return copy;
    }

    /** A time of day to the second, from {@code fromHour} (included) to {@code toHour} (excluded). */
    LocalTime timeBetween(int fromHour, int toHour) {
        return LocalTime.ofSecondOfDay(random.nextInt(fromHour * 3600, toHour * 3600));
    }
}
