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
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The started plugin's state: the widget queries, the board, the answer cache, the threads that
 * compute a board's widgets side by side (each statement on its own read connection) and the one that
 * keeps the default board computed.
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
    private final ScheduledExecutorService refresher;
    private final int refreshSeconds;
    private final AtomicBoolean refreshQueued = new AtomicBoolean();
    /** Set once a request asked for the default board: only then do changes bring a refresh. */
    private volatile boolean defaultBoardAsked;
    private volatile boolean started;
    private volatile PluginContext context;
    private volatile Board board;

    Dashboard(int cacheSize, int threads, int refreshSeconds) {
        this.cache = new WidgetCache(cacheSize);
        this.pool = Executors.newFixedThreadPool(threads, daemon("crm-dashboard"));
        this.refresher = Executors.newSingleThreadScheduledExecutor(daemon("crm-dashboard-refresh"));
        this.refreshSeconds = refreshSeconds;
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        };
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
        if (!started) {
            started = true;
            refresh(0, context);
        }
    }

    /**
     * A request asked for the default board (the console's first look): from now on a change that drops
     * answers brings a background refresh of it.
     */
    void defaultBoardAsked() {
        defaultBoardAsked = true;
    }

    /** An object changed: its answers are dropped, and the default board is computed again a little later. */
    void changed(String object, PluginContext context) {
        cache.changed(object);
        if (defaultBoardAsked) {
            refresh(refreshSeconds, context);
        }
    }

    /**
     * Computes the default board (the last 12 months, no filter: what the console opens with) in the
     * background after {@code delaySeconds}, so that opening the console reads the cache instead of every
     * order: once when the plugin starts, and after changes, one refresh for all the changes of
     * {@code crm.plugins.dashboard.refresh-seconds}. 0 seconds turns the refresh off.
     */
    private void refresh(int delaySeconds, PluginContext latest) {
        // The context of the latest trigger: the model may have changed since the one the board was loaded with.
        context = latest;
        if (refreshSeconds > 0 && refreshQueued.compareAndSet(false, true)) {
            refresher.schedule(() -> {
                refreshQueued.set(false);
                PluginContext current = context;
                try {
                    answerBoard(DashboardGraphQl.period(Map.of(), current), CustomerFilter.NONE, current.timeZone(), current.crm());
                } catch (RuntimeException e) {
                    log.warn("The dashboard's default board could not be computed in the background", e);
                }
            }, delaySeconds, TimeUnit.SECONDS);
        }
    }

    /** The widget's answer in its GraphQL form, from the cache while what it read is unchanged. */
    Map<String, Object> answer(WidgetQuery query, Args args, CrmContext crm) {
        return cache.get(query, args, () -> query.compute(args, crm));
    }

    /** Every board widget whose query the model supports, computed side by side; a failing widget carries its error. */
    List<Map<String, Object>> answerBoard(Period period, CustomerFilter filter, ZoneId storeZone, CrmContext crm) {
        List<Board.Widget> widgets = board.widgets().stream().filter(w -> w.query().available(crm)).toList();
        List<Future<Map<String, Object>>> answers = new ArrayList<>();
        for (Board.Widget widget : widgets) {
            Args args = new Args(period, filter, widget.arguments(), storeZone);
            // A kept answer is taken here: handing it to a pool thread would cost more than the lookup.
            Map<String, Object> cached = cache.cached(widget.query(), args);
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
                map.put("data", answers.get(i).get());
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
        refresher.shutdownNow();
        pool.shutdownNow();
    }

}
