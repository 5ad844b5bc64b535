package dev.storefront.crm.graphql.fetchers;

import dev.storefront.crm.storage.Entry;
import dev.storefront.crm.storage.EntryPage;
import java.util.List;

/** A Relay connection as the generated {@code XConnection} types read it. */
public record Connection(List<Edge> edges, PageInfo pageInfo, Long totalCount) {

    public record Edge(String cursor, Entry node) {
    }

    public record PageInfo(boolean hasNextPage, boolean hasPreviousPage, String startCursor, String endCursor) {
    }

    public List<Entry> nodes() {
        return edges.stream().map(Edge::node).toList();
    }

    static Connection of(EntryPage page, Long totalCount) {
        List<Edge> edges = new java.util.ArrayList<>();
        for (int i = 0; i < page.entries().size(); i++) {
            edges.add(new Edge(page.cursors().get(i), page.entries().get(i)));
        }
        PageInfo info = new PageInfo(page.hasNextPage(), page.hasPreviousPage(),
                edges.isEmpty() ? null : edges.get(0).cursor(), edges.isEmpty() ? null : edges.get(edges.size() - 1).cursor());
        return new Connection(edges, info, totalCount);
    }
}
