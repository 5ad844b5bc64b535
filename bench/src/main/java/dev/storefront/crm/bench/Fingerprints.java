package dev.storefront.crm.bench;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/** How both sides write the answers they are compared on. */
final class Fingerprints {

    private Fingerprints() {
    }

    /** Revenue to the cent and beyond: the server's Decimal sums must equal DuckDB's DECIMAL sums exactly. */
    static String revenue(int months, long orders, BigDecimal revenue) {
        return String.format(Locale.ROOT, "%d months, %d orders, %s revenue", months, orders,
                revenue.stripTrailingZeros().toPlainString());
    }

    /**
     * The entry number inside a global id the server gives out (base64url of {@code customers:17}),
     * or a peer's row number as it is: an id of ours, starting with the object's name, is never digits only.
     */
    static String entryNumber(String globalId) {
        if (!globalId.isEmpty() && globalId.chars().allMatch(Character::isDigit)) {
            return globalId;
        }
        String decoded = new String(Base64.getUrlDecoder().decode(globalId), StandardCharsets.UTF_8);
        return decoded.substring(decoded.indexOf(':') + 1);
    }

    /** Stored enum labels ("Potential Loyal") as GraphQL names them (POTENTIAL_LOYAL). */
    static String enumName(String label) {
        return label == null ? "-" : label.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]+", "_");
    }

    static String clv(long customers, long repeatBuyers) {
        return customers + " customers with orders, " + repeatBuyers + " repeat buyers";
    }

    static String changed(long customers) {
        return customers + " customers changed";
    }

    /** A reclassification or RFM scoring: customers moved, then customers per segment (labels) afterwards. */
    static String segments(long moved, java.util.Map<String, Long> counts) {
        return moved + " moved, " + new java.util.TreeMap<>(counts);
    }

    static String benchEmail(String tag, int i) {
        return "bench." + tag + "." + i + "@bench.example.com";
    }
}
