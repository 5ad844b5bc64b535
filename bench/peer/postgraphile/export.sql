-- Run by run.sh in its temp folder over a copy of the bench's DuckDB store: prints the PostgreSQL
-- CREATE TABLE statements of the three tables the questions read (same columns, same types), and
-- writes each table as CSV for psql's \copy. Lists become PostgreSQL array literals.
SET TimeZone = 'UTC';

SELECT 'CREATE TABLE ' || table_name || ' (' || string_agg('"' || column_name || '" ' || CASE data_type
           WHEN 'VARCHAR' THEN 'text'
           WHEN 'VARCHAR[]' THEN 'text[]'
           WHEN 'TIMESTAMP WITH TIME ZONE' THEN 'timestamptz'
           WHEN 'DOUBLE' THEN 'double precision'
           ELSE data_type END, ', ' ORDER BY ordinal_position) || ');'
FROM information_schema.columns
WHERE table_name IN ('customers', 'orders', 'support_tickets')
GROUP BY table_name;

COPY (SELECT * REPLACE ('{' || array_to_string(list_transform(tags,
          lambda t: '"' || replace(replace(t, '\', '\\'), '"', '\"') || '"'), ',') || '}' AS tags)
      FROM customers ORDER BY id) TO 'customers.csv' (HEADER);
COPY (SELECT * FROM orders ORDER BY id) TO 'orders.csv' (HEADER);
COPY (SELECT * FROM support_tickets ORDER BY id) TO 'support_tickets.csv' (HEADER);
