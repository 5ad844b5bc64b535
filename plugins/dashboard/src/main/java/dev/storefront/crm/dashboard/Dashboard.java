package dev.storefront.crm.dashboard;

import dev.storefront.crm.api.CrmContext;
import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.PluginException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The started plugin's state: the widget queries, the board, the answer cache and the threads that
 * compute a board's widgets side by side (each statement on its own read connection).
 */
final class Dashboard implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Dashboard.class);

    static final List<WidgetQuery> QUERIES = List.of(SegmentShares.customers(), SegmentShares.revenue(), new RevenueTrend(),
            new KpiStat(), new TopCustomers(), new LifetimeValueDistribution(), new ReturnRateTrend(), new RepeatPurchaseRate(),
            new NewVsReturningRevenue(), new CohortRetention(), new RfmGrid(), new PredictedClvBySource(), new CampaignResults(),
            new AggregateWidget());
    static final String BUNDLED_BOARD = "/dashboard-board.yaml";

    private final WidgetCache cache;
    private final ExecutorService pool;
    private volatile Board board;

    Dashboard(int cacheSize, int threads) {
        this.cache = new WidgetCache(cacheSize);
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread thread = new Thread(r, "crm-dashboard");
            thread.setDaemon(true);
            return thread;
        });
    }

    WidgetCache cache() {
        return cache;
    }

    /**
     * Reads and checks the board: {@code crm.plugins.dashboard.board} names a YAML file, else the
     * bundled board is used. Throws with every problem when it is not valid.
     */
    void loadBoard(PluginContext context) {
        String file = context.config("board").orElse(null);
        String text;
        try {
            if (file == null) {
                try (InputStream in = Dashboard.class.getResourceAsStream(BUNDLED_BOARD)) {
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            } else {
                text = Files.readString(Path.of(file));
            }
        } catch (IOException e) {
            throw new PluginException("board.unreadable", "The dashboard board " + file + " cannot be read: " + e.getMessage());
        }
        String source = file == null ? "(bundled)" : file;
        Object yaml;
        try {
            yaml = context.yaml().parse(text);
        } catch (PluginException e) {
            throw new PluginException("board.invalid", "The dashboard board " + source + " is " + e.getMessage());
        }
        board = Board.read(source, yaml, QUERIES, context.crm());
    }

    WidgetData answer(WidgetQuery query, Args args, CrmContext crm) {
        return cache.get(query, args, () -> query.compute(args, crm));
    }

    /** Every board widget whose query the model supports, computed side by side; a failing widget carries its error. */
    List<Map<String, Object>> answerBoard(Period period, CustomerFilter filter, ZoneId storeZone, CrmContext crm) {
        List<Board.Widget> widgets = board.widgets().stream().filter(w -> w.query().available(crm)).toList();
        List<Future<WidgetData>> answers = new ArrayList<>();
        for (Board.Widget widget : widgets) {
            Args args = new Args(period, filter, widget.arguments(), storeZone);
            // A kept answer is taken here: handing it to a pool thread would cost more than the lookup.
            WidgetData cached = cache.cached(widget.query(), args);
            answers.add(cached != null ? CompletableFuture.completedFuture(cached) : pool.submit(() -> answer(widget.query(), args, crm)));
        }
        List<Map<String, Object>> result = new ArrayList<>();
        for (int i = 0; i < widgets.size(); i++) {
            Board.Widget widget = widgets.get(i);
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("id", widget.id());
            map.put("title", widget.title());
            map.put("kind", widget.kind().toUpperCase(java.util.Locale.ROOT));
            map.put("query", widget.query().name());
            try {
                map.put("data", answers.get(i).get().toGraphQl());
            } catch (ExecutionException e) {
                log.error("Dashboard widget {} ({}) failed", widget.id(), widget.query().name(), e.getCause());
                map.put("error", e.getCause() instanceof PluginException ? e.getCause().getMessage()
                        : "this widget could not be computed; the server log has the details");
                map.put("data", null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while computing the board", e);
            }
            result.add(map);
        }
        return result;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

}
