package dev.storefront.crm.demo;

import dev.storefront.crm.demo.DemoData.PurchaseStats;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * The segment rules, applied alike to today's customers and to a campaign's audience on its launch
 * day. Silence comes first: a VIP who stopped buying is at risk before being a VIP.
 */
final class Segments {

    private static final int VIP_ORDERS = 15;
    private static final BigDecimal VIP_VALUE = new BigDecimal("2000");
    private static final int LOYAL_ORDERS = 6;

    private Segments() {
    }

    /** Null for someone who never bought: no behaviour to judge yet. */
    static String of(PurchaseStats stats, LocalDate day) {
        if (stats.orders() == 0) {
            return null;
        }
        long silentDays = ChronoUnit.DAYS.between(stats.lastPurchase(), day);
        if (silentDays > 365) {
            return "Churned";
        }
        if (silentDays > 180) {
            return "Lapsed";
        }
        if (silentDays > 90) {
            return "At Risk";
        }
        if (ChronoUnit.DAYS.between(stats.firstPurchase(), day) <= 30) {
            return "New";
        }
        if (stats.orders() >= VIP_ORDERS && stats.lifetimeValue().compareTo(VIP_VALUE) >= 0) {
            return "VIP";
        }
        if (stats.orders() >= LOYAL_ORDERS) {
            return "Loyal";
        }
        return stats.orders() >= 2 ? "Potential Loyal" : "Active";
    }
}
