package dev.storefront.crm.dashboard;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/**
 * Whole days from {@code from} to {@code to}, both included, in a time zone: a day begins at local
 * midnight, so an order at 23:30 UTC on Jan 31 falls on Feb 1 in Berlin.
 */
record Period(LocalDate from, LocalDate to, ZoneId zone) {

    /** The first instant of the period. */
    OffsetDateTime start() {
        return from.atStartOfDay(zone).toOffsetDateTime();
    }

    /** The first instant after the period. */
    OffsetDateTime end() {
        return to.plusDays(1).atStartOfDay(zone).toOffsetDateTime();
    }

    long days() {
        return ChronoUnit.DAYS.between(from, to) + 1;
    }

    /** The same number of days just before this period: what a stat compares with. */
    Period previous() {
        return new Period(from.minusDays(days()), from.minusDays(1), zone);
    }
}
