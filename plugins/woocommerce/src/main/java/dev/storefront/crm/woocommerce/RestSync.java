package dev.storefront.crm.woocommerce;

import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.sync.SyncDeletion;
import dev.storefront.crm.api.sync.SyncPage;
import dev.storefront.crm.api.sync.SyncRecord;
import dev.storefront.crm.api.sync.SyncRun;
import dev.storefront.crm.api.sync.SyncSource;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.pf4j.Extension;

/**
 * Customers, then orders with their line items and refunds, from {@code /wp-json/wc/v3}, page by
 * page ({@code page} up to {@code X-WP-TotalPages}, by id).
 *
 * <p>Which orders a later run asks for: those modified after the moment the previous run began, on
 * the store's clock (the {@code Date} header of the run's first answer, GMT), less an overlap
 * ({@code sync-overlap-seconds}, default 300). Not after the newest {@code date_modified} seen: an
 * order changed while the run paged (on a page already read) or stamped in the same second as the
 * newest one would then never be fetched again. The store's clock, not ours, because ours may be
 * off from it; GMT ({@code dates_are_gmt}) because the store's local zone may be anything. Orders
 * fetched twice are harmless: the host writes only what differs. Customers are read whole every
 * run (WooCommerce ignores {@code modified_after} on customers), of every user role, and likewise
 * written only when they differ. Draft orders ({@code checkout-draft}, {@code auto-draft}), which the listing includes
 * and the store's admin hides, are not written ({@link WooStatus#isDraft}).
 *
 * <p>Deletions: after the customers, every customer id the store holds is listed, and customers
 * that came from WooCommerce and are no longer there are deleted (their orders stay, without a
 * customer, as WooCommerce keeps them). Then the orders moved to the trash since the same moment
 * ({@code status=trash}, which the plain listing leaves out) are deleted with their items and
 * refunds. Last, every order id the store holds is listed, and orders that came from WooCommerce
 * and were deleted for good (not trashed) are deleted with their items and refunds. A listing during
 * which the store's count changed may have skipped an id as pages shifted: its deletions wait for the
 * next run. Run it as job {@code rest-sync}; {@code {"full": true}} starts over.
 */
@Extension
public class RestSync implements SyncSource<RestSync.Cursor> {

    private static final String CUSTOMERS = "customers";
    private static final String CUSTOMER_IDS = "customer-ids";
    private static final String TRASH = "trash";
    private static final String ORDERS = "orders";
    private static final String ORDER_IDS = "order-ids";
    private static final String DONE = "done";
    /** The streams of a run, in order. */
    private static final List<String> STREAMS = List.of(CUSTOMERS, CUSTOMER_IDS, TRASH, ORDERS, ORDER_IDS);
    /**
     * Customers of every user role: WooCommerce lists only the role "customer" by default, and
     * WooCommerce Subscriptions gives its subscribers the role "subscriber", so they would be left
     * out of the sync and, once synced, deleted as gone from the store.
     */
    private static final Map<String, String> EVERY_ROLE = Map.of("role", "all");
    /**
     * The orders the CRM got from WooCommerce that the store's listing ({@code ?}, its ids) lacks, and
     * their line items and refunds: what a deletion for good takes out.
     */
    private static final String VANISHED = """
            WITH gone AS (SELECT id, woocommerce_id FROM orders WHERE woocommerce_id IS NOT NULL
                          AND woocommerce_id NOT IN (SELECT unnest(CAST(? AS BIGINT[]))))
            SELECT 'order_items' AS object, i.woocommerce_id AS id FROM order_items i JOIN gone ON gone.id = i.order_id
            WHERE i.woocommerce_id IS NOT NULL
            UNION ALL SELECT 'returns', r.woocommerce_id FROM returns r JOIN gone ON gone.id = r.order_id WHERE r.woocommerce_id IS NOT NULL
            UNION ALL SELECT 'orders', woocommerce_id FROM gone""";
    private static final DateTimeFormatter GMT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    /**
     * @param stream  customers, customer-ids, trash, orders, order-ids, or done (the run finished)
     * @param since   the orders' modified_after (GMT, no offset): of this run, or when done of the next; null for all
     * @param started the store's clock (GMT) at this run's first answer; null before it
     */
    public record Cursor(String stream, int page, String since, String started) {
    }

    @Override
    public String name() {
        return "rest-sync";
    }

    @Override
    public String description() {
        return "Customers and orders (with line items and refunds) from the WooCommerce REST API v3; later runs fetch only changed orders";
    }

    @Override
    public CursorFormat<Cursor> cursorFormat() {
        return new CursorFormat<>() {
            @Override
            public String write(Cursor c) {
                return c.stream() + "|" + c.page() + "|" + (c.since() == null ? "" : c.since()) + "|" + (c.started() == null ? "" : c.started());
            }

            @Override
            public Cursor read(String text) {
                String[] parts = text.split("\\|", -1);
                return new Cursor(parts[0], Integer.parseInt(parts[1]), parts[2].isEmpty() ? null : parts[2],
                        parts[3].isEmpty() ? null : parts[3]);
            }
        };
    }

    @Override
    public SyncPage<Cursor> poll(Cursor cursor, SyncRun run, PluginContext context) throws Exception {
        Cursor at = cursor == null ? new Cursor(CUSTOMERS, 1, null, null)
                : cursor.stream().equals(DONE) ? new Cursor(CUSTOMERS, 1, cursor.since(), null) : cursor;
        WooClient client = new WooClient(context);
        if (at.stream().equals(CUSTOMER_IDS)) {
            return customerIds(client, at);
        }
        if (at.stream().equals(ORDER_IDS)) {
            return orderIds(client, at, context);
        }
        int pageSize = WooSettings.integer(context, "page-size", 50);
        Map<String, String> query = new LinkedHashMap<>();
        boolean trash = at.stream().equals(TRASH);
        if (trash) {
            query.put("status", "trash");
        }
        query.put("per_page", String.valueOf(pageSize));
        query.put("page", String.valueOf(at.page()));
        query.put("orderby", "id");
        query.put("order", "asc");
        boolean orders = !at.stream().equals(CUSTOMERS);
        if (!orders) {
            query.putAll(EVERY_ROLE);
        }
        if (orders && at.since() != null) {
            query.put("modified_after", at.since());
            query.put("dates_are_gmt", "true");
        }
        WooClient.Page page = client.get(trash ? ORDERS : at.stream(), query);
        String started = at.started() != null ? at.started()
                : GMT.format(page.storeTime() != null ? page.storeTime() : Instant.now());
        List<SyncRecord> records = new ArrayList<>();
        List<SyncDeletion> deletions = new ArrayList<>();
        for (Map<String, Object> item : page.items()) {
            // A draft is no order of the store's (yet): not written, and taken out if an earlier run wrote it.
            if (trash || WooStatus.isDraft(WooRecords.text(item.get("status")))) {
                deletions.addAll(WooRecords.trashed(item));
            } else if (orders) {
                records.addAll(WooRecords.order(item));
            } else {
                records.add(WooRecords.customer(item));
            }
        }
        if (at.stream().equals(ORDERS)) {
            deletions.add(WooRecords.refundTotals(page.items()));
        }
        boolean lastPage = page.last(at.page());
        if (!lastPage) {
            return new SyncPage<>(records, deletions, new Cursor(at.stream(), at.page() + 1, at.since(), started), false, -1);
        }
        return new SyncPage<>(records, deletions, new Cursor(STREAMS.get(STREAMS.indexOf(at.stream()) + 1), 1, at.since(), started),
                false, -1);
    }

    /**
     * Every customer id the store holds, in one page: the CRM then deletes the customers it got from
     * WooCommerce that the store no longer has.
     */
    private static SyncPage<Cursor> customerIds(WooClient client, Cursor at) throws Exception {
        List<SyncDeletion> deletions = listIds(client, CUSTOMERS, EVERY_ROLE)
                .map(ids -> List.of(SyncDeletion.allBut("customers", "woocommerce_id", ids))).orElse(List.of());
        return new SyncPage<>(List.of(), deletions, new Cursor(TRASH, 1, at.since(), at.started()), false, -1);
    }

    /**
     * Every order id the store holds outside the trash, in one page that ends the run: orders the CRM
     * got from WooCommerce that the store no longer has are deleted, their line items and refunds first
     * (an item cannot outlive its order). The next run reads orders changed since this one began, less
     * {@code sync-overlap-seconds}.
     */
    private static SyncPage<Cursor> orderIds(WooClient client, Cursor at, PluginContext context) throws Exception {
        Map<String, List<Object>> gone = new LinkedHashMap<>();
        listIds(client, ORDERS, Map.of("status", "any")).ifPresent(ids -> {
            for (Map<String, Object> row : context.crm().sql(VANISHED, List.copyOf(ids))) {
                gone.computeIfAbsent((String) row.get("object"), k -> new ArrayList<>()).add(row.get("id"));
            }
        });
        List<SyncDeletion> deletions = new ArrayList<>();
        for (String object : List.of("order_items", "returns", ORDERS)) {
            deletions.add(SyncDeletion.of(object, "woocommerce_id", gone.getOrDefault(object, List.of())));
        }
        int overlap = WooSettings.integer(context, "sync-overlap-seconds", 300);
        String next = GMT.format(GMT.parse(at.started(), Instant::from).minus(overlap, ChronoUnit.SECONDS));
        return new SyncPage<>(List.of(), deletions, new Cursor(DONE, 0, next, null), true, -1);
    }

    /**
     * The ids of every item of {@code resource} (100 a request, ids only), or nothing when the store's
     * count changed while listing: a page shifted by a deletion would have skipped an id, and an id
     * missing from the listing means "delete it".
     */
    private static Optional<Set<Long>> listIds(WooClient client, String resource, Map<String, String> filter) throws Exception {
        Optional<Listing> listed = listIdsOnce(client, resource, filter);
        if (listed.isEmpty() || listed.get().counted()) {
            return listed.map(Listing::ids);
        }
        // No count to check the listing against (a host stripped X-WP-Total): a second listing equal to the first shows
        // that no page shifted while it ran.
        Set<Long> ids = listed.get().ids();
        return listIdsOnce(client, resource, filter).filter(again -> again.ids().equals(ids)).map(again -> ids);
    }

    /** The ids of one listing; {@code counted}: the store said how many it holds ({@code X-WP-Total}), and these are as many. */
    private record Listing(Set<Long> ids, boolean counted) {
    }

    /** One listing, or nothing when the store's count changed while listing or differs from the ids listed. */
    private static Optional<Listing> listIdsOnce(WooClient client, String resource, Map<String, String> filter) throws Exception {
        Set<Long> ids = new LinkedHashSet<>();
        long total = -1;
        for (int page = 1; ; page++) {
            Map<String, String> query = new LinkedHashMap<>(filter);
            query.put("_fields", "id");
            query.put("per_page", "100");
            query.put("page", String.valueOf(page));
            query.put("orderby", "id");
            query.put("order", "asc");
            WooClient.Page answer = client.get(resource, query);
            answer.items().forEach(item -> ids.add(((Number) item.get("id")).longValue()));
            total = page == 1 ? answer.total() : total;
            if (answer.total() != total) {
                return Optional.empty();
            }
            if (answer.last(page)) {
                break;
            }
        }
        return total >= 0 && ids.size() != total ? Optional.empty() : Optional.of(new Listing(ids, total >= 0));
    }
}
