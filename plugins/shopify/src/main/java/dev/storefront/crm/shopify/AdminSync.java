package dev.storefront.crm.shopify;

import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.PluginException;
import dev.storefront.crm.api.sync.JsonLines;
import dev.storefront.crm.api.sync.SyncDeletion;
import dev.storefront.crm.api.sync.SyncPage;
import dev.storefront.crm.api.sync.SyncRecord;
import dev.storefront.crm.api.sync.SyncRun;
import dev.storefront.crm.api.sync.SyncSource;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.pf4j.Extension;

/**
 * Customers, then products, then orders (with line items and refunds) of each configured store
 * ({@link Store}) in turn, from the Shopify Admin GraphQL API, page by page ({@code first}/{@code after},
 * {@code sortKey: UPDATED_AT}); customers and products first so an order's page finds the entries it
 * points at. The first run of a store (or a full one) reads each connection through a bulk operation
 * instead ({@link BulkExport}; {@code bulk: false} pages it), and its since is the start of the first
 * operation. A later run asks each store only for {@code updated_at:>'<since>'}, where since is when
 * the previous run began reading that store on Shopify's clock (its Date header) less
 * {@code sync-overlap-seconds} (default 300): a record changed while a run paged is read by the next
 * one, and one read twice is not written again (the host writes only what differs). Run it as job
 * {@code graphql-sync}; {@code {"full": true}} starts over. Run on a cron schedule it is also the
 * reconciliation of webhooks: whatever a missed delivery changed is read by the next run.
 */
@Extension
public class AdminSync implements SyncSource<AdminSync.Cursor> {

    /** The connections read in a run, in order. */
    private static final List<String> STREAMS = List.of("customers", "products", "orders");

    /** Pacing lasts across pages, runs and sources (the sync and the reconciliation): one bucket per store. */
    private static final Map<String, Bucket> BUCKETS = new ConcurrentHashMap<>();
    private final BulkExport bulk = new BulkExport();

    /**
     * @param store   the index of the store being read ({@code stores[N]})
     * @param stream  the connection being read (customers, products, orders)
     * @param after   Shopify's page cursor (endCursor of the last page written), null for a stream's first page
     * @param started Shopify's clock at the first answer of this store in this run, null before it
     * @param since   per store, the updated_at filter of its next read (ISO instant), null for all
     */
    public record Cursor(int store, String stream, String after, String started, List<String> since) {

        String sinceOf(int index) {
            return index < since.size() ? since.get(index) : null;
        }

        /** This cursor with store {@code index}'s since set to {@code value}. */
        Cursor withSince(int index, String value) {
            List<String> sinces = new ArrayList<>(since);
            while (sinces.size() <= index) {
                sinces.add(null);
            }
            sinces.set(index, value);
            return new Cursor(store, stream, after, started, sinces);
        }

        /** The first page of store {@code next}, with {@code finished}'s since moved to {@code value}. */
        Cursor nextStore(int finished, String value, int next) {
            return new Cursor(next, STREAMS.get(0), null, null, withSince(finished, value).since());
        }
    }

    @Override
    public String name() {
        return "graphql-sync";
    }

    @Override
    public String description() {
        return "Customers, products and orders (with line items and refunds) of each store from the Shopify Admin GraphQL API, "
                + "paced by query cost; later runs fetch only changes";
    }

    @Override
    public CursorFormat<Cursor> cursorFormat() {
        return new CursorFormat<>() {
            @Override
            public String write(Cursor c) {
                return c.store() + "|" + c.stream() + "|" + text(c.after()) + "|" + text(c.started()) + "|"
                        + String.join(",", c.since().stream().map(AdminSync::text).toList());
            }

            @Override
            public Cursor read(String text) {
                String[] parts = text.split("\\|", -1);
                List<String> since = parts[4].isEmpty() ? List.of()
                        : java.util.Arrays.stream(parts[4].split(",", -1)).map(AdminSync::nullIfEmpty).toList();
                return new Cursor(Integer.parseInt(parts[0]), parts[1], nullIfEmpty(parts[2]), nullIfEmpty(parts[3]), since);
            }
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    public SyncPage<Cursor> poll(Cursor cursor, SyncRun run, PluginContext context) throws Exception {
        List<Store> stores = Store.all(context);
        if (stores.isEmpty()) {
            throw new PluginException("config.missing", "Plugin shopify needs setting crm.plugins." + context.pluginId()
                    + ".stores[0].shop (or .shop for a single store)");
        }
        // A store removed from the settings since the cursor was written: start again from the first.
        Cursor at = cursor == null || cursor.store() >= stores.size() ? new Cursor(0, STREAMS.get(0), null, null,
                cursor == null ? List.of() : cursor.since()) : cursor;
        Store store = stores.get(at.store());
        ShopifyClient client = new ShopifyClient(context, store, run.args(), BUCKETS.computeIfAbsent(store.shop(), s -> new Bucket()));
        if (at.sinceOf(at.store()) == null && firstSince(context) != null) {
            at = at.withSince(at.store(), firstSince(context));
        }
        String since = at.sinceOf(at.store());
        if (since == null && Boolean.parseBoolean(context.config("bulk").orElse("true"))) {
            BulkExport.Step step = bulk.step(client, store, at.stream(), at.after(), at.started(), context);
            return step.finished() ? next(at, step.started(), List.of(), step.lines(), List.of(), stores.size(), context)
                    : new SyncPage<>(List.of(), step.lines(), List.of(), new Cursor(at.store(), at.stream(), step.after(), step.started(), at.since()),
                    false, -1);
        }
        Map<String, Object> variables = new LinkedHashMap<>();
        int first = pageSize(at.stream(), context);
        variables.put("first", first);
        variables.put("after", at.after());
        variables.put("query", since == null ? null : "updated_at:>'" + since + "'");
        ShopifyClient.Answer answer = client.query(AdminRecords.query(at.stream()), variables, AdminRecords.pageCost(at.stream(), first));
        String started = at.started() != null ? at.started()
                : (answer.storeTime() != null ? answer.storeTime() : Instant.now()).truncatedTo(ChronoUnit.SECONDS).toString();
        Map<String, Object> connection = (Map<String, Object>) answer.data().get(at.stream());
        AdminRecords records = new AdminRecords(store.shop(), context.timeZone());
        List<SyncRecord> page = new ArrayList<>();
        for (Map<String, Object> edge : (List<Map<String, Object>>) connection.get("edges")) {
            Map<String, Object> node = (Map<String, Object>) edge.get("node");
            page.addAll(records.of(at.stream(), at.stream().equals("orders") ? whole(client, node) : node));
        }
        // The items of a changed order are its lines now (OrderLines): those an edit removed are deleted with the page.
        List<SyncDeletion> stale = List.of(SyncDeletion.of("order_items", "shopify_key",
                OrderLines.stale(context.crm(), page).stream().map(item -> item.get("shopify_key")).toList()));
        Map<String, Object> pageInfo = (Map<String, Object>) connection.get("pageInfo");
        // Shopify may say a next page follows a page with no edges, and then names no cursor to ask for it from: the read ends.
        if (Boolean.TRUE.equals(pageInfo.get("hasNextPage")) && pageInfo.get("endCursor") != null) {
            return new SyncPage<>(page, stale, new Cursor(at.store(), at.stream(), (String) pageInfo.get("endCursor"), started, at.since()), false, -1);
        }
        return next(at, started, page, null, stale, stores.size(), context);
    }

    /**
     * The page size of {@code connection}: setting {@code page-size}, else {@link AdminRecords#DEFAULT_PAGE_SIZE} or as many as
     * fit in one query ({@link AdminRecords#mostPerPage}). A setting above what fits in one query of any connection stops the sync
     * before anything is read: Shopify would refuse that query (MAX_COST_EXCEEDED).
     */
    private static int pageSize(String connection, PluginContext context) {
        String setting = "crm.plugins." + context.pluginId() + ".page-size";
        Integer given = context.config("page-size").map(String::strip).map(value -> {
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new PluginException("config.invalid", "Setting " + setting + " is '" + value + "': it must be a whole number of records");
            }
        }).orElse(null);
        if (given == null) {
            return Math.min(AdminRecords.DEFAULT_PAGE_SIZE, AdminRecords.mostPerPage(connection));
        }
        for (String stream : STREAMS) {
            if (given < 1 || given > AdminRecords.mostPerPage(stream)) {
                throw new PluginException("config.invalid", "Setting " + setting + " is " + given + ": a page of " + given + " " + stream
                        + " would cost Shopify " + AdminRecords.pageCost(stream, Math.max(given, 0)) + " points, above the "
                        + AdminRecords.MAX_QUERY_COST + " it allows in one query; set it between 1 and " + AdminRecords.mostPerPage(stream)
                        + ", or leave it out");
            }
        }
        return given;
    }

    /**
     * The order {@code node} of a page with all its lines and refunds: when the page held only its first lines (it has a next
     * page of them), the rest is read by order, {@link AdminRecords#REST_LINES} lines at a time; when it held as many refunds as
     * a page reads, they are read again by themselves, up to {@link AdminRecords#MOST_REFUNDS}. Each query is paced by the
     * store's bucket as a page is. Few orders have that many lines or refunds.
     */
    private static Map<String, Object> whole(ShopifyClient client, Map<String, Object> node) throws IOException, InterruptedException {
        Map<String, Object> lineItems = ShopifyWrites.map(node.get("lineItems"));
        Map<String, Object> pageInfo = ShopifyWrites.map(lineItems.get("pageInfo"));
        boolean moreLines = Boolean.TRUE.equals(pageInfo.get("hasNextPage"));
        boolean moreRefunds = ShopifyWrites.list(node.get("refunds")).size() >= AdminRecords.REFUNDS;
        if (!moreLines && !moreRefunds) {
            return node;
        }
        Map<String, Object> whole = new LinkedHashMap<>(node);
        List<Map<String, Object>> lines = new ArrayList<>(ShopifyWrites.list(lineItems.get("nodes")));
        for (Object after = pageInfo.get("endCursor"); moreLines; ) {
            Map<String, Object> rest = ShopifyWrites.map(order(client, AdminRecords.restQuery(), AdminRecords.REST_COST, node.get("id"), after).get("lineItems"));
            lines.addAll(ShopifyWrites.list(rest.get("nodes")));
            Map<String, Object> restInfo = ShopifyWrites.map(rest.get("pageInfo"));
            moreLines = Boolean.TRUE.equals(restInfo.get("hasNextPage"));
            after = restInfo.get("endCursor");
        }
        whole.put("lineItems", Map.of("nodes", lines));
        if (moreRefunds) {
            List<Map<String, Object>> refunds = ShopifyWrites.list(order(client, AdminRecords.refundsQuery(), AdminRecords.REFUNDS_COST, node.get("id"), null).get("refunds"));
            if (refunds.size() >= AdminRecords.MOST_REFUNDS) {
                throw new PluginException("shopify.refunds", "Order " + node.get("name") + " (" + node.get("id") + ") has "
                        + AdminRecords.MOST_REFUNDS + " refunds or more, more than one Shopify query can read; a full sync reads it whole"
                        + " through a bulk operation");
            }
            whole.put("refunds", refunds);
        }
        return whole;
    }

    /** Order {@code id} read by {@code query} of requested cost {@code cost} (lines from {@code after}, or null). */
    private static Map<String, Object> order(ShopifyClient client, String query, int cost, Object id, Object after)
            throws IOException, InterruptedException {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("id", id);
        if (after != null) {
            variables.put("after", after);
        }
        return ShopifyWrites.map(client.query(query, variables, cost).data().get("order"));
    }

    /** Where a store's read begins when the cursor holds no since for it: null, everything. */
    String firstSince(PluginContext context) {
        return null;
    }

    /**
     * The last page of the connection {@code at} reads ({@code page} and its {@code deletions}, or the last {@code lines} of its
     * bulk file): its cursor is the next connection, else the next store, else (the last store's page ends the run) where the
     * next run starts.
     */
    private static SyncPage<Cursor> next(Cursor at, String started, List<SyncRecord> page, JsonLines lines, List<SyncDeletion> deletions,
                                         int stores, PluginContext context) {
        int next = STREAMS.indexOf(at.stream()) + 1;
        if (next < STREAMS.size()) {
            return new SyncPage<>(page, lines, deletions, new Cursor(at.store(), STREAMS.get(next), null, started, at.since()), false, -1);
        }
        int overlap = Integer.parseInt(context.config("sync-overlap-seconds").orElse("300"));
        String nextSince = Instant.parse(started).minusSeconds(overlap).toString();
        boolean last = at.store() + 1 == stores;
        return new SyncPage<>(page, lines, deletions, at.nextStore(at.store(), nextSince, last ? 0 : at.store() + 1), last, -1);
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }

    private static String nullIfEmpty(String value) {
        return value.isEmpty() ? null : value;
    }
}
