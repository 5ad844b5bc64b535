package dev.storefront.crm.clv;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The CDNOW sample ({@code shared/fixtures/clv}) read with the conventions of its README, in plain
 * Java (independently of the plugin's SQL): purchase days per customer, same-day values added.
 */
final class Cdnow {

    static final LocalDate CALIBRATION_END = LocalDate.of(1997, 9, 30);
    static final LocalDate HOLDOUT_END = LocalDate.of(1998, 6, 30);

    /** Customer id → purchase day → value of that day. */
    final Map<Integer, TreeMap<LocalDate, BigDecimal>> days = new TreeMap<>();

    Cdnow() {
        DateTimeFormatter format = DateTimeFormatter.BASIC_ISO_DATE;
        try {
            for (String line : Files.readAllLines(file())) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 5) {
                    continue;
                }
                days.computeIfAbsent(Integer.parseInt(f[1]), k -> new TreeMap<>())
                        .merge(LocalDate.parse(f[2], format), new BigDecimal(f[4]), BigDecimal::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path file() {
        String configured = System.getProperty("crm.fixtures");
        for (Path root : new Path[] {configured == null ? null : Path.of(configured),
                Path.of("..", "..", "..", "shared", "fixtures"), Path.of("/work/shared/fixtures")}) {
            if (root != null && Files.isRegularFile(root.resolve("clv/CDNOW_sample.txt"))) {
                return root.resolve("clv/CDNOW_sample.txt");
            }
        }
        throw new IllegalStateException("Fixture clv/CDNOW_sample.txt not found; set -Dcrm.fixtures=<shared/fixtures>");
    }

    /** One customer's calibration history: x, t_x and T in weeks, mean repeat value (0 without repeats). */
    record History(int x, double tx, double t, double m) {
    }

    List<History> calibration() {
        List<History> histories = new ArrayList<>();
        for (TreeMap<LocalDate, BigDecimal> purchases : days.values()) {
            var calibration = purchases.headMap(CALIBRATION_END, true);
            LocalDate first = calibration.firstKey();
            int x = calibration.size() - 1;
            BigDecimal repeat = calibration.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add).subtract(calibration.firstEntry().getValue());
            histories.add(new History(x, weeks(first, calibration.lastKey()), weeks(first, CALIBRATION_END),
                    x == 0 ? 0 : repeat.doubleValue() / x));
        }
        return histories;
    }

    /** Purchase days after the calibration period, up to the end of the holdout. */
    long holdoutPurchases() {
        return days.values().stream().mapToLong(d -> d.subMap(CALIBRATION_END, false, HOLDOUT_END, true).size()).sum();
    }

    static double weeks(LocalDate from, LocalDate to) {
        return ChronoUnit.DAYS.between(from, to) / 7.0;
    }

    FrequencyStats frequencyStats() {
        List<History> h = calibration();
        return new FrequencyStats(h.stream().mapToInt(History::x).toArray(), h.stream().mapToDouble(History::tx).toArray(),
                h.stream().mapToDouble(History::t).toArray(), h.stream().mapToLong(x -> 1).toArray());
    }

    SpendStats spendStats() {
        List<History> h = calibration().stream().filter(c -> c.x() > 0).toList();
        return new SpendStats(h.stream().mapToInt(History::x).toArray(), h.stream().mapToDouble(History::m).toArray(),
                h.stream().mapToLong(x -> 1).toArray());
    }
}
