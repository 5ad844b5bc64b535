package dev.storefront.crm.woocommerce;

import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.sync.SyncPage;
import dev.storefront.crm.api.sync.SyncRecord;
import dev.storefront.crm.api.sync.SyncRun;
import dev.storefront.crm.api.sync.SyncSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pf4j.Extension;

/**
 * Customers, then orders with their line items, from {@code /wp-json/wc/v3}, page by page
 * ({@code page} up to {@code X-WP-TotalPages}). The cursor remembers where the run is and the
 * newest {@code date_modified_gmt} seen; the next run asks only for what changed after it
 * ({@code modified_after}, GMT). Run it as job {@code rest-sync}; {@code {"full": true}} starts over.
 */
@Extension
public class RestSync implements SyncSource<RestSync.Cursor> {

    /**
     * @param stream  customers, orders, or done (the run finished)
     * @param since   modified_after of this run (GMT, no offset), or null for everything
     * @param newest  the newest date_modified_gmt seen so far
     */
    public record Cursor(String stream, int page, String since, String newest) {
    }

    @Override
    public String name() {
        return "rest-sync";
    }

    @Override
    public String description() {
        return "Customers and orders (with line items) from the WooCommerce REST API v3; later runs fetch only changes";
    }

    @Override
    public CursorFormat<Cursor> cursorFormat() {
        return new CursorFormat<>() {
            @Override
            public String write(Cursor c) {
                return c.stream() + "|" + c.page() + "|" + (c.since() == null ? "" : c.since()) + "|" + (c.newest() == null ? "" : c.newest());
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
        Cursor at = cursor == null ? new Cursor("customers", 1, null, null)
                : cursor.stream().equals("done") ? new Cursor("customers", 1, cursor.newest(), cursor.newest()) : cursor;
        WooClient client = new WooClient(context);
        int pageSize = Integer.parseInt(context.config("page-size").orElse("50"));
        Map<String, String> query = new LinkedHashMap<>();
        query.put("per_page", String.valueOf(pageSize));
        query.put("page", String.valueOf(at.page()));
        query.put("orderby", "id");
        query.put("order", "asc");
        if (at.since() != null) {
            query.put("modified_after", at.since());
            query.put("dates_are_gmt", "true");
        }
        WooClient.Page page = client.get(at.stream(), query);
        List<SyncRecord> records = new ArrayList<>();
        String newest = at.newest();
        for (Map<String, Object> item : page.items()) {
            if (at.stream().equals("customers")) {
                records.add(WooRecords.customer(item));
            } else {
                records.addAll(WooRecords.order(item));
            }
            String modified = WooRecords.text(item.get("date_modified_gmt"));
            if (modified != null && (newest == null || modified.compareTo(newest) > 0)) {
                newest = modified;
            }
        }
        boolean lastPage = at.page() >= page.totalPages() || page.items().isEmpty();
        if (!lastPage) {
            return new SyncPage<>(records, new Cursor(at.stream(), at.page() + 1, at.since(), newest), false, -1);
        }
        if (at.stream().equals("customers")) {
            return new SyncPage<>(records, new Cursor("orders", 1, at.since(), newest), false, -1);
        }
        return new SyncPage<>(records, new Cursor("done", 0, at.since(), newest), true, -1);
    }
}
