package dev.storefront.crm.graphql.fetchers;

import dev.storefront.crm.storage.Entry;
import dev.storefront.crm.storage.EntryPage;
import java.util.ArrayList;
import java.util.List;

/**
 * A Relay connection as the generated {@code XConnection} types read it. Cursors are sealed
 * ({@link Cursors}) only when a client selects them: most read {@code nodes} alone.
 *
 * @param cursors the cursors of the list the page belongs to
 */
public record Connection(EntryPage page, Cursors.OfList cursors, Long totalCount) {

    public record Edge(String cursor, Entry node) {
    }

    public record PageInfo(boolean hasNextPage, boolean hasPreviousPage, String startCursor, String endCursor) {
    }

    public List<Entry> nodes() {
        return page.entries();
    }

    public List<Edge> edges() {
        List<Edge> edges = new ArrayList<>();
        for (int i = 0; i < page.entries().size(); i++) {
            edges.add(new Edge(cursor(i), page.entries().get(i)));
        }
        return edges;
    }

    public PageInfo pageInfo() {
        int size = page.entries().size();
        return new PageInfo(page.hasNextPage(), page.hasPreviousPage(), size == 0 ? null : cursor(0),
                size == 0 ? null : cursor(size - 1));
    }

    private String cursor(int index) {
        return cursors.seal(page.cursors().get(index));
    }
}
