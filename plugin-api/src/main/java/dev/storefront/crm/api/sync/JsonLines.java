package dev.storefront.crm.api.sync;

import dev.storefront.crm.api.imports.ImportMapping;
import java.nio.file.Path;
import java.util.List;

/**
 * Records {@code from} to {@code from + count - 1} (1 = the first; blank lines are not records) of
 * a JSON Lines file, written by the host through import mappings instead of records built one by
 * one: the host reads the whole file once with its database's own JSON reader into a staging table
 * that lasts until a page reads past its last record, then converts, checks and writes each page's
 * range set-based, as CSV imports do, in the page's transaction. A source of a mapping names a value
 * by its path in the record ({@code id}, {@code defaultEmailAddress.emailAddress}); {@code ^path} is
 * that value in the record's parent: the record whose {@code idPath} equals its {@code parentPath}
 * ({@code __parentId} in Shopify's bulk operation files), or for an item of a list, the record holding
 * the list. A record whose parent comes later in the file is written by the range holding its parent's line,
 * so never before its parent. A line that is not JSON is reported by its number, the others are written.
 *
 * @param name what the file is, in a store owner's words, for errors ({@code Shopify's bulk export of
 *             customers of acme.myshopify.com})
 */
public record JsonLines(Path file, String name, long from, int count, String idPath, String parentPath, List<Part> parts) {

    /** Which records a part writes. */
    public enum Rows {
        /** Every record. */
        ALL,
        /** Records without a parent. */
        PARENTS,
        /** Records with a parent. */
        CHILDREN
    }

    /**
     * One mapping over the range, in order (an object before the objects that link to it).
     *
     * @param items    null, or the path of a list in each record of {@code rows}: its items are the rows the
     *                 mapping reads, each item's paths read from the item and {@code ^path} from its record
     * @param replaces null, or a relation the mapping fills that points at each row's parent (an order item's
     *                 {@code order}): the rows it writes are then all the children their parents have now, so a
     *                 stored entry pointing through it at a parent a part before this one writes, holding a value of
     *                 the mapping's first key and named by none of the file's rows, is deleted in the transaction of
     *                 the range that reaches the file's end (a line an order edit removed; all of them for an order
     *                 listed without lines). Entries without a key value (made in the CRM), the stored copy of a row
     *                 the file holds but refuses, and the children of a parent refused are never deleted.
     */
    public record Part(Rows rows, String items, ImportMapping mapping, String replaces) {

        public Part(Rows rows, String items, ImportMapping mapping) {
            this(rows, items, mapping, null);
        }
    }

    public JsonLines {
        parts = List.copyOf(parts);
    }
}
