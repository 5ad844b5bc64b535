package dev.storefront.crm.bench;

import java.nio.file.Path;

/**
 * The work of each row, done by one side: the CRM over HTTP, or hand-written SQL over JDBC. Reads
 * return a fingerprint of their answer (ids, counts, sums), so both sides can be checked to agree.
 * Every method may be called from several threads at once.
 */
interface Store extends AutoCloseable {

    /** The filter of rows two and eight: three conditions, two sort keys. */
    String FILTER_DESCRIPTION = "lifetime value > 500, total orders > 3, segment in (VIP, Loyal); by lifetime value desc, last purchase asc";

    String customerById(long id) throws Exception;

    String filteredPage() throws Exception;

    String pageWithLastOrders() throws Exception;

    String ticketCountFilter() throws Exception;

    String revenueByMonth() throws Exception;

    String customersBySegment() throws Exception;

    /** A dashboard widget's answer for a range, as {@link DashboardWidget#fingerprint}. */
    String widget(DashboardWidget widget, java.time.LocalDate[] range) throws Exception;

    /** The whole default dashboard board for a range; returns how many widgets answered. */
    String board(java.time.LocalDate[] range) throws Exception;

    /** Creates {@code count} customers in one request or transaction; {@code tag} keeps emails unique. */
    int createCustomers(String tag, int count) throws Exception;

    void updateCustomer(long id, String notes) throws Exception;

    /** Adds an integer field to customers and waits until it can be read; returns the field's column. */
    String addFieldAndRead(String label) throws Exception;

    /**
     * Fits the CLV models as of today and writes every customer's nine scores; returns the customers
     * with counted orders and the repeat buyers among them.
     */
    String fitAndScoreClv() throws Exception;

    /** Recomputes every customer's metrics (the rollup and formula fields) from scratch; returns how many changed. */
    String recomputeCustomerMetrics() throws Exception;

    /** Classifies every customer by the recency-value rule set as of a day, recording the moves; returns moves and counts. */
    String reclassify(java.time.LocalDate asOf) throws Exception;

    /** Scores R, F, M and sets the RFM group of every customer as of a day; returns changes and counts per group. */
    String scoreRfm(java.time.LocalDate asOf) throws Exception;

    /** Creates one delivered order of 25.00, today, for a customer (whose metrics follow in the same transaction) or none. */
    void createOrder(String number, Long customer) throws Exception;

    /** Exports every customer as CSV; returns the data rows written. */
    long exportCustomers() throws Exception;

    /**
     * Writes every committed change into the database file (DuckDB's checkpoint), untimed before an
     * import row: DuckDB defers the checkpoint of bulk inserts to the next commit whose log passes its
     * threshold, so without this one row would pay for an earlier row's writes.
     */
    void settle() throws Exception;

    /** Imports a file of new customers ({@link ImportFiles}); returns the rows written. */
    long importCustomers(Path file) throws Exception;

    /** Imports a file of orders whose customers are named by email ({@link ImportFiles}); returns the rows written. */
    long importOrders(Path file) throws Exception;

    /**
     * Imports a WooCommerce order export of one row per item ({@link ImportFiles#writeWooPerItem}): each order once, every
     * row one order item; returns the rows read.
     */
    long importWooPerItem(Path file) throws Exception;

    /**
     * Ingests a store's Shopify bulk operation files ({@link BulkJsonl}): customers, orders and their
     * line items. Returns the lines ingested.
     */
    long ingestShopifyBulk(BulkJsonl files) throws Exception;

    /** Stores one Shopify webhook delivery unless one with its id is stored already, and returns once it is ({@link WebhookIngest}). */
    void storeWebhook(WebhookIngest.Delivery delivery) throws Exception;

    /**
     * Moves {@code count} customers (ids 1..count) into a segment at once, with a workflow enabled
     * on that move, and measures how fast their runs start (written to the outbox); the moves are
     * set up before the clock starts. Returns runs per second.
     */
    double workflowRunsPerSecond(int count) throws Exception;

    @Override
    void close() throws Exception;
}
