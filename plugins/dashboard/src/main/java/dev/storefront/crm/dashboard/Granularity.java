package dev.storefront.crm.dashboard;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;

/** Calendar buckets of a trend, in local dates: ISO weeks start on Monday, quarters in Jan/Apr/Jul/Oct. */
enum Granularity {
    DAY, WEEK, MONTH, QUARTER;

    LocalDate start(LocalDate day) {
        return switch (this) {
            case DAY -> day;
            case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> day.withDayOfMonth(1);
            case QUARTER -> day.withMonth(day.get(IsoFields.QUARTER_OF_YEAR) * 3 - 2).withDayOfMonth(1);
        };
    }

    LocalDate next(LocalDate start) {
        return switch (this) {
            case DAY -> start.plusDays(1);
            case WEEK -> start.plusWeeks(1);
            case MONTH -> start.plusMonths(1);
            case QUARTER -> start.plusMonths(3);
        };
    }

    /** The label of the bucket that starts on {@code start}: 2026-03-02, 2026-W10, 2026-03, 2026-Q1. */
    String label(LocalDate start) {
        return switch (this) {
            case DAY -> start.toString();
            case WEEK -> String.format("%d-W%02d", start.get(IsoFields.WEEK_BASED_YEAR), start.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
            case MONTH -> start.toString().substring(0, 7);
            case QUARTER -> start.getYear() + "-Q" + start.get(IsoFields.QUARTER_OF_YEAR);
        };
    }

    /** The starts of every bucket that overlaps the period, empty ones included. */
    List<LocalDate> buckets(Period period) {
        List<LocalDate> starts = new ArrayList<>();
        for (LocalDate start = start(period.from()); !start.isAfter(period.to()); start = next(start)) {
            starts.add(start);
        }
        return starts;
    }
}
