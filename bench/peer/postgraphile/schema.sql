-- What a PostgreSQL user would add to the copied tables: keys, foreign keys (PostGraphile's
-- relations), an index on every relation column and on the filtered and sorted columns, and the
-- two questions connection filters cannot ask, as functions PostGraphile exposes as query fields.
ALTER TABLE customers ADD PRIMARY KEY (id);
ALTER TABLE orders ADD PRIMARY KEY (id);
ALTER TABLE support_tickets ADD PRIMARY KEY (id);
ALTER TABLE orders ADD FOREIGN KEY (customer_id) REFERENCES customers (id);
ALTER TABLE support_tickets ADD FOREIGN KEY (customer_id) REFERENCES customers (id);
ALTER TABLE support_tickets ADD FOREIGN KEY (order_id) REFERENCES orders (id);

-- A customer's latest orders are one index range.
CREATE INDEX ON orders (customer_id, order_date DESC);
CREATE INDEX ON support_tickets (customer_id);
CREATE INDEX ON support_tickets (order_id);
-- Tickets of the last days, with their customer, without reading the table.
CREATE INDEX ON support_tickets (opened_at, customer_id);
-- The filtered page's sort, and its filtered columns.
CREATE INDEX ON customers (lifetime_value DESC, last_purchase_date);
CREATE INDEX ON customers (total_orders);
CREATE INDEX ON customers (customer_segment);

CREATE FUNCTION customers_with_tickets(more_than int, days int) RETURNS SETOF customers
    LANGUAGE sql STABLE AS $$
    SELECT * FROM customers WHERE id IN (
        SELECT customer_id FROM support_tickets WHERE opened_at >= current_date - days
        GROUP BY customer_id HAVING count(*) > more_than)
    ORDER BY id
$$;

CREATE FUNCTION revenue_by_month() RETURNS TABLE (month timestamptz, revenue numeric, orders bigint)
    LANGUAGE sql STABLE AS $$
    SELECT date_trunc('month', order_date), sum(total_amount), count(*) FROM orders GROUP BY 1 ORDER BY 1
$$;

VACUUM ANALYZE;
