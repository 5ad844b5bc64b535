package dev.storefront.crm.bench;

import java.util.Locale;

/** How both sides write the answers they are compared on. */
final class Fingerprints {

    private Fingerprints() {
    }

    static String revenue(int months, long orders, double revenue) {
        return String.format(Locale.ROOT, "%d months, %d orders, %.0f revenue", months, orders, revenue);
    }

    /** Stored enum labels ("Potential Loyal") as GraphQL names them (POTENTIAL_LOYAL). */
    static String enumName(String label) {
        return label == null ? "-" : label.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]+", "_");
    }

    static String clv(long customers, long repeatBuyers) {
        return customers + " customers with orders, " + repeatBuyers + " repeat buyers";
    }

    static String benchEmail(String tag, int i) {
        return "bench." + tag + "." + i + "@bench.example.com";
    }
}
