package dev.storefront.crm.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class WidgetCacheTest {

    private static final Args ARGS = new Args(new Period(LocalDate.parse("2026-01-01"), LocalDate.parse("2026-03-31"), ZoneId.of("UTC")),
            CustomerFilter.NONE, Map.of(), ZoneId.of("UTC"));

    private final AtomicInteger computed = new AtomicInteger();
    private final WidgetCache cache = new WidgetCache(10);

    private Map<String, Object> ask(WidgetQuery query) {
        return cache.get(query, ARGS, () -> {
            computed.incrementAndGet();
            return new WidgetData.Series(List.of(), List.of());
        });
    }

    @Test
    void aWriteToOrdersDropsRevenueAnswersButNotCampaignAnswers() {
        ask(new RevenueTrend());
        ask(new CampaignResults());
        ask(new RevenueTrend());
        ask(new CampaignResults());
        assertThat(computed).hasValue(2);

        cache.changed("orders");
        ask(new RevenueTrend());
        ask(new CampaignResults());
        assertThat(computed).hasValue(3);

        cache.changed("campaign_recipients");
        ask(new CampaignResults());
        ask(new RevenueTrend());
        assertThat(computed).hasValue(4);
    }

    @Test
    void anAnswerComputedWhileItsDataChangesIsNotServedAfterwards() {
        WidgetQuery revenue = new RevenueTrend();
        cache.get(revenue, ARGS, () -> {
            computed.incrementAndGet();
            cache.changed("orders");
            return new WidgetData.Series(List.of(), List.of());
        });
        ask(revenue);
        assertThat(computed).hasValue(2);
    }

    @Test
    void answersAreKeptPerArguments() {
        WidgetQuery revenue = new RevenueTrend();
        ask(revenue);
        cache.get(revenue, new Args(ARGS.period(), new CustomerFilter(List.of("VIP"), List.of(), null, List.of(), null), Map.of(), ARGS.storeZone()), () -> {
            computed.incrementAndGet();
            return new WidgetData.Series(List.of(), List.of());
        });
        ask(revenue);
        assertThat(computed).hasValue(2);
    }

    @Test
    void aStatementAskedWhileTheSameRunsWaitsForItsRowsUnlessTheDataChangedMeanwhile() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Map<String, Object>> rows = List.of(Map.of("n", 1));
        Supplier<List<Map<String, Object>>> statement = () -> {
            computed.incrementAndGet();
            started.countDown();
            await(release);
            return rows;
        };
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<List<Map<String, Object>>> first = pool.submit(() -> cache.shared("SELECT ?", List.of(1), statement));
            await(started);
            AtomicReference<List<Map<String, Object>>> sameRows = new AtomicReference<>();
            Thread same = new Thread(() -> sameRows.set(cache.shared("SELECT ?", List.of(1), statement)));
            same.start();
            // The second ask parks on the first's run (it never reaches the statement's latch): then the run may end.
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (same.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(same.getState()).isEqualTo(Thread.State.WAITING);
            release.countDown();
            same.join(10_000);
            assertThat(first.get()).isSameAs(rows);
            assertThat(sameRows.get()).isSameAs(rows);
            assertThat(computed).hasValue(1);
        } finally {
            pool.shutdownNow();
        }
        // Not running any more: asked again, it runs again; and a change in between never shares a run.
        cache.shared("SELECT ?", List.of(1), statement);
        assertThat(computed).hasValue(2);
        cache.changed("orders");
        cache.shared("SELECT ?", List.of(1), statement);
        assertThat(computed).hasValue(3);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void bucketsAndWidths() {
        assertThat(Granularity.WEEK.label(Granularity.WEEK.start(LocalDate.parse("2026-01-01")))).isEqualTo("2026-W01");
        assertThat(Granularity.WEEK.start(LocalDate.parse("2026-01-01"))).isEqualTo("2025-12-29");
        assertThat(Granularity.QUARTER.label(Granularity.QUARTER.start(LocalDate.parse("2026-05-17")))).isEqualTo("2026-Q2");
        assertThat(Granularity.MONTH.buckets(ARGS.period())).hasSize(3);
        assertThat(LifetimeValueDistribution.roundWidth(55)).isEqualByComparingTo("100");
        assertThat(LifetimeValueDistribution.roundWidth(21)).isEqualByComparingTo("25");
        assertThat(LifetimeValueDistribution.roundWidth(0.3)).isEqualByComparingTo("0.5");
        assertThat(LifetimeValueDistribution.roundWidth(0)).isEqualByComparingTo("1");
    }

}
