-- The demo store at scale, generated inside DuckDB: one INSERT ... SELECT per table over range(),
-- every draw a hash of (seed, purpose, row), so one seed gives the same store on any machine.
-- Distributions follow the in-memory generator (PurchasePlanner, OrderGenerator, TicketGenerator,
-- Segments); placeholders in braces are filled by BulkStoreWriter with numbers, dates and word lists.
-- Every draw hashes its hash: DuckDB combines the hashes of several arguments linearly, which would
-- make draws for different purposes of one row move together.
CREATE OR REPLACE TEMP MACRO g_u(k, i) AS (hash(hash({seed}, k, i)) >> 11)::DOUBLE / 9007199254740992.0;
CREATE OR REPLACE TEMP MACRO g_u2(k, i, j) AS (hash(hash({seed}, k, i, j)) >> 11)::DOUBLE / 9007199254740992.0;
CREATE OR REPLACE TEMP MACRO g_int(k, i, lo, hi) AS (lo + floor(g_u(k, i) * (hi - lo + 1)))::BIGINT;
CREATE OR REPLACE TEMP MACRO g_int2(k, i, j, lo, hi) AS (lo + floor(g_u2(k, i, j) * (hi - lo + 1)))::BIGINT;
CREATE OR REPLACE TEMP MACRO g_pick(list, k, i) AS list[1 + floor(g_u(k, i) * len(list))::BIGINT];
CREATE OR REPLACE TEMP MACRO g_pick2(list, k, i, j) AS list[1 + floor(g_u2(k, i, j) * len(list))::BIGINT];
CREATE OR REPLACE TEMP MACRO g_season(d) AS CASE month(d) WHEN 11 THEN 1.0 WHEN 12 THEN 1.0 WHEN 1 THEN 0.4 WHEN 2 THEN 0.4 ELSE 0.5 END;
CREATE OR REPLACE TEMP MACRO g_day(f, span, k, i, j) AS f + g_int2(k, i, j, 0, span)::INTEGER;
-- A day from f to f + span: holiday months twice as likely as most, January and February least (three tries).
CREATE OR REPLACE TEMP MACRO g_seasonal(f, span, k, i, j) AS CASE
    WHEN g_u2(k || 'a', i, j) < g_season(g_day(f, span, k || '1', i, j)) THEN g_day(f, span, k || '1', i, j)
    WHEN g_u2(k || 'b', i, j) < g_season(g_day(f, span, k || '2', i, j)) THEN g_day(f, span, k || '2', i, j)
    ELSE g_day(f, span, k || '3', i, j) END;
CREATE OR REPLACE TEMP MACRO g_at(d, k, i, j, from_hour, to_hour) AS
    (d + to_seconds(g_int2(k, i, j, from_hour * 3600, to_hour * 3600 - 1)))::TIMESTAMPTZ;
CREATE OR REPLACE TEMP MACRO g_segment(n, value, first_day, last_day, day) AS CASE
    WHEN n = 0 THEN NULL
    WHEN day - last_day > 365 THEN 'Churned'
    WHEN day - last_day > 180 THEN 'Lapsed'
    WHEN day - last_day > 90 THEN 'At Risk'
    WHEN day - first_day <= 30 THEN 'New'
    WHEN n >= 15 AND value >= 2000 THEN 'VIP'
    WHEN n >= 6 THEN 'Loyal'
    WHEN n >= 2 THEN 'Potential Loyal'
    ELSE 'Active' END;
CREATE OR REPLACE TEMP MACRO g_city(i) AS g_pick({cities}, 'city', i);
CREATE OR REPLACE TEMP MACRO g_address(i) AS g_int('house', i, 1, 9999) || ' ' || g_pick({streets}, 'street', i) || ' '
    || g_pick({street_types}, 'street_type', i) || ', ' || g_city(i).name || ', ' || g_city(i).state || ' '
    || g_city(i).zip || lpad(g_int('zip', i, 0, 99)::VARCHAR, 2, '0');

-- How often each customer buys: tiers as in PurchasePlanner, order counts of regular and heavy
-- buyers stretched by {scale} to reach the wanted orders per customer, then nudged to the exact total.
CREATE TEMP TABLE g_tier AS
SELECT id, tier, CASE tier WHEN 0 THEN 0 WHEN 1 THEN 1
        ELSE greatest(2, floor(g_u('round', id) + CASE tier WHEN 2 THEN g_int('n', id, 2, 4) WHEN 3 THEN g_int('n', id, 5, 12)
            WHEN 4 THEN g_int('n', id, 13, 19) ELSE g_int('n', id, 20, 45) END * {scale}))::BIGINT END AS n
FROM (SELECT range + 1 AS id, CASE WHEN g_u('tier', range + 1) < 0.08 THEN 0 WHEN g_u('tier', range + 1) < 0.48 THEN 1
        WHEN g_u('tier', range + 1) < 0.72 THEN 2 WHEN g_u('tier', range + 1) < 0.89 THEN 3
        WHEN g_u('tier', range + 1) < 0.97 THEN 4 ELSE 5 END AS tier FROM range({customers}));

CREATE TEMP TABLE g_plan AS
WITH diff AS (SELECT {orders} - sum(n) AS d FROM g_tier),
     regular AS (SELECT id, row_number() OVER (ORDER BY g_u('nudge', id)) AS rn FROM g_tier WHERE tier IN (2, 3, 4)),
     counted AS (
        SELECT t.id, t.tier, greatest(CASE WHEN t.tier IN (2, 3, 4) THEN 1 ELSE 0 END,
            t.n + CASE WHEN r.rn <= abs(diff.d) THEN sign(diff.d) ELSE 0 END)::BIGINT AS n
        FROM g_tier t CROSS JOIN diff LEFT JOIN regular r USING (id)),
     recency AS (
        SELECT id, tier, n, g_u('recency', id) AS r FROM counted),
     band AS (
        SELECT id, tier, n, CASE
            WHEN n = 1 THEN CASE WHEN r < 0.20 THEN 1 WHEN r < 0.40 THEN 2 WHEN r < 0.55 THEN 3 WHEN r < 0.75 THEN 4 ELSE 5 END
            WHEN tier = 5 THEN CASE WHEN r < 0.70 THEN 1 WHEN r < 0.90 THEN 2 WHEN r < 0.97 THEN 3 ELSE 4 END
            ELSE CASE WHEN r < 0.35 THEN 1 WHEN r < 0.60 THEN 2 WHEN r < 0.75 THEN 3 WHEN r < 0.90 THEN 4 ELSE 5 END
            END AS band FROM recency),
     last AS (
        SELECT id, tier, n, g_seasonal(DATE '{today}' - [30, 90, 180, 365, 729][band],
                [29, 59, 89, 184, 363][band], 'last', id, 0) AS last_day FROM band)
SELECT id, tier, n, last_day,
    CASE WHEN n <= 1 THEN last_day ELSE last_day - g_int('first', id,
        least(n * 7, last_day - (DATE '{today}' - 730)), last_day - (DATE '{today}' - 730))::INTEGER END AS first_day
FROM last;

-- Orders in time order: a customer's newest, oldest, and the rest between; ids follow time.
CREATE TEMP TABLE g_orders AS
WITH placed AS (
    SELECT id AS customer, unnest(range(n)) AS k, first_day, last_day FROM g_plan WHERE n > 0),
dated AS (
    SELECT customer, k, CASE k WHEN 0 THEN last_day WHEN 1 THEN first_day
        ELSE g_seasonal(first_day, last_day - first_day, 'day', customer, k) END AS day FROM placed),
timed AS (
    SELECT customer, k, day, g_at(day, 'time', customer, k, 7, 24) AS placed_at FROM dated)
SELECT row_number() OVER (ORDER BY placed_at, customer, k) AS id, customer, k, day, placed_at,
    CASE WHEN g_u2('lines', customer, k) < 0.45 THEN 1 WHEN g_u2('lines', customer, k) < 0.75 THEN 2
        WHEN g_u2('lines', customer, k) < 0.90 THEN 3 ELSE 4 END AS lines,
    CASE WHEN DATE '{today}' - day <= 2 OR (DATE '{today}' - day <= 7 AND g_u2('transit', customer, k) < 0.6) THEN NULL
        ELSE g_at(day + g_int2('deliver', customer, k, 2, least(7, DATE '{today}' - day - 1))::INTEGER,
            'delivered', customer, k, 9, 19) END AS delivered_at
FROM timed;

-- Popular products first: a shuffled catalogue of everything that can be bought.
CREATE TEMP TABLE g_sellable AS
SELECT row_number() OVER (ORDER BY g_u('popular', id)) - 1 AS pos, id, name, price
FROM products WHERE status IS DISTINCT FROM 'Draft';

-- Lines: the first product skewed to the popular ones, the others spread from it, all distinct.
CREATE TEMP TABLE g_items AS
WITH catalogue AS (SELECT count(*) AS size FROM g_sellable),
lined AS (
    SELECT o.id AS order_id, unnest(range(o.lines)) AS l, c.size,
        floor(c.size * pow(g_u('basket', o.id), 2))::BIGINT AS base,
        1 + floor(g_u('spread', o.id) * greatest(1, (c.size - 1) // 4))::BIGINT AS step
    FROM g_orders o CROSS JOIN catalogue c)
SELECT order_id, l, s.id AS product_id, s.name,
    CASE WHEN g_u2('qty', order_id, l) < 0.80 THEN 1 WHEN g_u2('qty', order_id, l) < 0.95 THEN 2 ELSE 3 END AS quantity,
    s.price AS unit_price
FROM lined JOIN g_sellable s ON s.pos = (lined.base + lined.l * lined.step) % lined.size;

CREATE TEMP TABLE g_totals AS
SELECT order_id, sum(quantity * unit_price) AS total,
    string_agg(name || CASE WHEN quantity > 1 THEN ' x' || quantity ELSE '' END, ', ' ORDER BY l) AS summary,
    max(lines) AS lines, arg_min(quantity * unit_price, l) AS first_line
FROM (SELECT i.*, o.lines FROM g_items i JOIN g_orders o ON o.id = i.order_id) GROUP BY order_id;

-- The lines go in as soon as the totals are summed, and their working tables are dropped: each statement
-- commits on its own, and at 100 million orders the largest tables held until the end filled DuckDB's memory.
INSERT INTO order_items (id, created_at, updated_at, order_id, product_id, quantity, unit_price)
SELECT row_number() OVER (ORDER BY order_id, l), TIMESTAMPTZ '{now}', TIMESTAMPTZ '{now}', order_id, product_id,
    quantity, unit_price
FROM g_items;

DROP TABLE g_items;
DROP TABLE g_sellable;

-- Returns: 3% of delivered orders, 30% for the 12% of frequent buyers who send much back.
CREATE TEMP TABLE g_returns AS
WITH candidates AS (
    SELECT o.id AS order_id, o.customer, o.delivered_at::DATE AS delivered, t.total, t.lines, t.first_line,
        least(o.delivered_at::DATE + 30, DATE '{today}' - 1) AS latest,
        p.n >= 3 AND g_u('returner', o.customer) < 0.12 AS returner
    FROM g_orders o JOIN g_totals t ON t.order_id = o.id JOIN g_plan p ON p.id = o.customer
    WHERE o.delivered_at IS NOT NULL),
chosen AS (
    SELECT *, delivered + g_int('return_day', order_id, 1, latest - delivered)::INTEGER AS return_date FROM candidates
    WHERE delivered < latest AND g_u('returned', order_id) < CASE WHEN returner THEN 0.3 ELSE 0.03 END)
SELECT row_number() OVER (ORDER BY return_date, order_id) AS id, order_id, customer, return_date,
    g_pick({return_reasons}, 'reason', order_id) AS reason,
    CASE WHEN g_u('resolution', order_id) < 0.60 THEN 'Refund' WHEN g_u('resolution', order_id) < 0.85 THEN 'Exchange'
        ELSE 'Credit' END AS resolution,
    CASE WHEN DATE '{today}' - return_date <= 3 THEN 'Requested' WHEN DATE '{today}' - return_date <= 7 THEN 'Approved'
        WHEN DATE '{today}' - return_date <= 14 THEN 'Received' ELSE 'Closed' END AS status,
    CASE WHEN lines > 1 AND g_u('partial', order_id) < 0.6 THEN first_line ELSE total END AS amount
FROM chosen;

INSERT INTO orders (id, created_at, updated_at, order_number, customer_id, order_date, total_amount, currency, status,
    items, shipping_address, delivered_at)
SELECT o.id, TIMESTAMPTZ '{now}', TIMESTAMPTZ '{now}', 'SF-' || (100000 + o.id), o.customer, o.placed_at, t.total, 'USD',
    CASE WHEN r.order_id IS NOT NULL THEN CASE WHEN r.resolution = 'Refund' AND r.status = 'Closed' THEN 'Refunded' ELSE 'Returned' END
        WHEN o.delivered_at IS NOT NULL THEN 'Delivered'
        WHEN DATE '{today}' - o.day > 2 THEN 'Shipped'
        WHEN g_u('pending', o.id) < 0.7 THEN 'Pending' ELSE 'Fulfilled' END,
    t.summary, g_address(o.customer), o.delivered_at
FROM g_orders o JOIN g_totals t ON t.order_id = o.id LEFT JOIN g_returns r ON r.order_id = o.id
ORDER BY o.id;

INSERT INTO returns (id, created_at, updated_at, order_id, customer_id, return_date, reason, resolution, status, amount)
SELECT id, TIMESTAMPTZ '{now}', TIMESTAMPTZ '{now}', order_id, customer, return_date, reason, resolution, status, amount
FROM g_returns ORDER BY id;

-- Customers last, with totals read from their orders in one pass.
INSERT INTO customers (id, created_at, updated_at, full_name, first_name, last_name, email, phone, company_id,
    accepts_marketing, tags, total_orders, lifetime_value, average_order_value, first_purchase_date, last_purchase_date,
    return_rate, customer_segment, acquisition_source, notes)
WITH bought AS (
    SELECT customer AS id, count(*) AS n, sum(t.total) AS value, min(o.day) AS first_day, max(o.day) AS last_day
    FROM g_orders o JOIN g_totals t ON t.order_id = o.id GROUP BY customer),
sent_back AS (SELECT customer AS id, count(*) AS returned FROM g_returns GROUP BY customer),
person AS (
    SELECT range + 1 AS id, g_pick({first_names}, 'first_name', range + 1) AS first_name,
        g_pick({last_names}, 'last_name', range + 1) AS last_name,
        CASE WHEN {companies} > 0 AND g_u('b2b', range + 1) < 0.08 THEN g_int('company', range + 1, 1, {companies}) END AS company,
        g_u('marketing', range + 1) < 0.6 AS accepts_marketing
    FROM range({customers})),
summed AS (
    SELECT p.*, coalesce(b.n, 0) AS n, coalesce(b.value, 0) AS value, b.first_day, b.last_day,
        coalesce(s.returned, 0) AS returned,
        g_segment(coalesce(b.n, 0), coalesce(b.value, 0), b.first_day, b.last_day, DATE '{today}') AS segment
    FROM person p LEFT JOIN bought b USING (id) LEFT JOIN sent_back s USING (id))
SELECT id, TIMESTAMPTZ '{now}', TIMESTAMPTZ '{now}', first_name || ' ' || last_name, first_name, last_name,
    lower(first_name || '.' || last_name || '.' || id || '@' || g_pick({email_domains}, 'domain', id)),
    CASE WHEN g_u('has_phone', id) < 0.8 THEN '+1 ' || g_city(id).area || '-555-01'
        || lpad(g_int('phone', id, 0, 99)::VARCHAR, 2, '0') END,
    company, accepts_marketing,
    list_filter([CASE WHEN segment = 'VIP' THEN 'vip' END, CASE WHEN company IS NOT NULL THEN 'b2b' END,
        CASE WHEN accepts_marketing THEN 'newsletter' END, CASE WHEN returned >= 2 THEN 'frequent-returner' END],
        lambda x: x IS NOT NULL),
    n, value, CASE WHEN n > 0 THEN round(value / n, 2) END, first_day, last_day,
    CASE WHEN n > 0 THEN round(returned / n, 4) END, segment,
    CASE WHEN g_u('source', id) < 0.28 THEN 'Organic Search' WHEN g_u('source', id) < 0.50 THEN 'Paid Ads'
        WHEN g_u('source', id) < 0.68 THEN 'Social' WHEN g_u('source', id) < 0.80 THEN 'Email'
        WHEN g_u('source', id) < 0.90 THEN 'Referral' ELSE 'Direct' END,
    CASE WHEN g_u('has_note', id) < 0.04 THEN g_pick({customer_notes}, 'note', id) END
FROM summed ORDER BY id;

-- Tickets: about 3% of customers wrote 3 to 6 times about recent orders; the rest are one-offs about
-- an order (65%), a return (25%) or nothing bought (10%). Opened at least a day after what they are about.
CREATE TEMP TABLE g_ticket_base AS
WITH recent AS (
    SELECT o.customer, o.id AS order_id, o.day,
        row_number() OVER (PARTITION BY o.customer ORDER BY o.id) AS rn,
        count(*) OVER (PARTITION BY o.customer) AS c
    FROM g_orders o WHERE o.day >= DATE '{today}' - 170 AND o.day < DATE '{today}' - 1),
writers AS (
    SELECT customer, c, g_int('writes', customer, 3, 6) AS writes FROM (SELECT DISTINCT customer, c FROM recent)
    WHERE g_u('writer', customer) < {customers} * 0.03 / (SELECT greatest(1, count(DISTINCT customer)) FROM recent)),
repeated AS (
    SELECT w.customer, r.order_id, r.day + 1 AS earliest, 'order' AS about, w.customer * 8 + slot AS draw
    FROM (SELECT customer, c, unnest(range(writes)) AS slot FROM writers) w
    JOIN recent r ON r.customer = w.customer AND r.rn = 1 + floor(g_u2('wrote_about', w.customer, w.slot) * w.c)),
askable AS (SELECT coalesce(max(id), 0) AS n FROM g_orders WHERE day < DATE '{today}' - 1),
slots AS (
    SELECT range AS t, g_u('kind', range) AS kind FROM range(greatest(0, {tickets} - (SELECT count(*) FROM repeated)))),
one_off AS (
    SELECT CASE WHEN s.kind < 0.1 OR a.n = 0 THEN g_int('asker', s.t, 1, {customers})
            WHEN s.kind < 0.35 AND (SELECT count(*) FROM g_returns) > 0 THEN r.customer ELSE o.customer END AS customer,
        CASE WHEN s.kind < 0.1 OR a.n = 0 THEN NULL
            WHEN s.kind < 0.35 AND (SELECT count(*) FROM g_returns) > 0 THEN r.order_id ELSE o.id END AS order_id,
        CASE WHEN s.kind < 0.1 OR a.n = 0 THEN DATE '{today}' - g_int('asked', s.t, 1, 730)::INTEGER
            WHEN s.kind < 0.35 AND (SELECT count(*) FROM g_returns) > 0 THEN r.return_date ELSE o.day + 1 END AS earliest,
        CASE WHEN s.kind < 0.1 OR a.n = 0 THEN 'general'
            WHEN s.kind < 0.35 AND (SELECT count(*) FROM g_returns) > 0 THEN 'return' ELSE 'order' END AS about,
        -1 - s.t AS draw
    FROM slots s CROSS JOIN askable a
    LEFT JOIN g_returns r ON r.id = g_int('return_pick', s.t, 1, greatest(1, (SELECT count(*) FROM g_returns)))
    LEFT JOIN g_orders o ON o.id = g_int('order_pick', s.t, 1, greatest(1, a.n)))
SELECT * FROM repeated UNION ALL SELECT * FROM one_off;

INSERT INTO support_tickets (id, created_at, updated_at, customer_id, order_id, subject, priority, status, opened_at, resolved_at)
WITH dated AS (
    SELECT *, CASE WHEN about = 'general' THEN earliest
        ELSE least(earliest + g_int('late', draw, 0, 10)::INTEGER, DATE '{today}' - 1) END AS day
    FROM g_ticket_base),
opened AS (
    SELECT *, g_at(day, 'opened', draw, 0, 7, 22) AS opened_at, DATE '{today}' - day <= 3 AS fresh FROM dated)
SELECT row_number() OVER (ORDER BY opened_at, draw), TIMESTAMPTZ '{now}', TIMESTAMPTZ '{now}', customer, order_id,
    CASE about WHEN 'general' THEN g_pick({general_subjects}, 'subject', draw)
        WHEN 'return' THEN g_pick({return_subjects}, 'subject', draw) ELSE g_pick({order_subjects}, 'subject', draw) END,
    CASE WHEN g_u('priority', draw) < 0.20 THEN 'Low' WHEN g_u('priority', draw) < 0.75 THEN 'Normal'
        WHEN g_u('priority', draw) < 0.93 THEN 'High' ELSE 'Urgent' END,
    CASE WHEN fresh THEN CASE WHEN g_u('status', draw) < 0.6 THEN 'Open' ELSE 'Pending' END
        ELSE CASE WHEN g_u('status', draw) < 0.55 THEN 'Solved' ELSE 'Closed' END END,
    opened_at, CASE WHEN NOT fresh THEN opened_at + to_hours(g_int('resolve', draw, 1, 72)) END
FROM opened;

-- Campaigns spread over the two years: the launch month's seasonal theme once per season, else the
-- evergreen themes in turn. Audiences are judged on launch day from each customer's plan (exact when
-- the customer's orders all came before it, estimated by share of the buying span otherwise).
CREATE TEMP TABLE g_campaigns AS
WITH launched AS (
    SELECT range AS idx, DATE '{today}' - greatest(1, 730 - 36 * range - 18 + g_int('launch', range, -7, 7))::INTEGER AS launch
    FROM range(20)),
seasonal AS (
    SELECT *, CASE month(launch) WHEN 11 THEN 0 WHEN 12 THEN 1 WHEN 1 THEN 2 WHEN 6 THEN 3 END AS season,
        row_number() OVER (PARTITION BY year(launch), month(launch) ORDER BY idx) AS nth FROM launched),
themed AS (
    SELECT *, season IS NOT NULL AND nth = 1 AS is_seasonal FROM seasonal),
turned AS (
    SELECT *, row_number() OVER (PARTITION BY is_seasonal ORDER BY idx) - 1 AS turn FROM themed)
SELECT idx + 1 AS id, launch,
    CASE WHEN is_seasonal THEN [{'name': 'Black Friday', 'segment': NULL, 'channel': 'Email', 'offer': '25% off sitewide'},
        {'name': 'Holiday Gift Guide', 'segment': NULL, 'channel': 'Email', 'offer': 'Free gift wrapping on orders over $50'},
        {'name': 'New Year Clearance', 'segment': NULL, 'channel': 'Email', 'offer': 'Up to 50% off last season'},
        {'name': 'Summer Sale', 'segment': NULL, 'channel': 'Ads', 'offer': '20% off summer essentials'}][season + 1]
    ELSE [{'name': 'Welcome Series', 'segment': 'New', 'channel': 'Email', 'offer': '10% off your second order'},
        {'name': 'VIP Early Access', 'segment': 'VIP', 'channel': 'Email', 'offer': '48-hour early access to new arrivals'},
        {'name': 'We Miss You', 'segment': 'At Risk', 'channel': 'Email', 'offer': '15% off your next order'},
        {'name': 'New Arrivals', 'segment': NULL, 'channel': 'Social', 'offer': '15% off new arrivals this week'},
        {'name': 'Come Back', 'segment': 'Lapsed', 'channel': 'SMS', 'offer': '$20 off orders over $80'},
        {'name': 'Loyalty Thank You', 'segment': 'Loyal', 'channel': 'Email', 'offer': 'Double points on every order'},
        {'name': 'Last Chance', 'segment': 'Churned', 'channel': 'Email', 'offer': '30% off, this week only'},
        {'name': 'Next Step', 'segment': 'Potential Loyal', 'channel': 'SMS', 'offer': 'Free shipping on your next order'},
        {'name': 'Flash Sale', 'segment': 'Active', 'channel': 'SMS', 'offer': '24-hour flash sale: 20% off'}][turn % 9 + 1]
    END AS theme
FROM turned;

CREATE TEMP TABLE g_recipients AS
WITH audience AS (
    SELECT c.id AS campaign, cu.id AS customer, c.launch, c.theme,
        CASE WHEN c.launch > p.last_day THEN p.n
            ELSE greatest(1, round(p.n * (c.launch - p.first_day) / greatest(1, p.last_day - p.first_day))) END AS n_before,
        CASE WHEN c.launch > p.last_day THEN p.last_day ELSE c.launch - 1 END AS last_before,
        p.first_day, cu.lifetime_value, p.n
    FROM g_campaigns c JOIN g_plan p ON p.n > 0 AND p.first_day < c.launch
    JOIN customers cu ON cu.id = p.id AND cu.accepts_marketing),
targeted AS (
    SELECT * FROM audience
    WHERE theme.segment IS NULL OR theme.segment = g_segment(n_before, lifetime_value * n_before / n, first_day, last_before, launch)),
sent AS (
    SELECT campaign, customer, g_at(launch, 'sent', campaign, customer, 8, 20) AS sent_at,
        g_u2('opened', campaign, customer) < CASE theme.channel WHEN 'SMS' THEN g_int('opens', campaign, 55, 85)
            WHEN 'Email' THEN g_int('opens', campaign, 20, 45) ELSE g_int('opens', campaign, 3, 12) END / 100.0 AS opened
    FROM targeted
    WHERE g_u2('reached', campaign, customer) < CASE WHEN theme.segment IS NOT NULL THEN 0.9
        WHEN theme.channel = 'Email' THEN 0.6 WHEN theme.channel = 'SMS' THEN 0.35 ELSE 0.25 END),
credited AS (
    SELECT s.campaign, s.customer, arg_min(o.total_amount, o.order_date) AS revenue
    FROM sent s JOIN orders o ON o.customer_id = s.customer AND s.opened
        AND o.order_date BETWEEN s.sent_at AND s.sent_at + INTERVAL 7 DAY
    GROUP BY s.campaign, s.customer)
SELECT s.*, coalesce(c.revenue, 0) AS revenue FROM sent s LEFT JOIN credited c USING (campaign, customer);

INSERT INTO campaigns (id, created_at, updated_at, campaign_name, segment_targeted, channel, launch_date, offer,
    customers_targeted, open_rate, revenue_generated)
SELECT c.id, TIMESTAMPTZ '{now}', TIMESTAMPTZ '{now}', c.theme.name || ' (' || strftime(c.launch, '%b %Y') || ')',
    c.theme.segment, c.theme.channel, c.launch, c.theme.offer, count(r.customer),
    CASE WHEN count(r.customer) > 0 THEN round(count(*) FILTER (WHERE r.opened) / count(r.customer), 4) END,
    coalesce(sum(r.revenue), 0)
FROM g_campaigns c LEFT JOIN g_recipients r ON r.campaign = c.id GROUP BY ALL ORDER BY c.id;

INSERT INTO campaign_recipients (id, created_at, updated_at, campaign_id, customer_id, sent_at, opened, revenue)
SELECT row_number() OVER (ORDER BY campaign, customer), TIMESTAMPTZ '{now}', TIMESTAMPTZ '{now}', campaign, customer,
    sent_at, opened, revenue
FROM g_recipients;

DROP TABLE g_recipients;
DROP TABLE g_campaigns;
DROP TABLE g_ticket_base;
DROP TABLE g_returns;
DROP TABLE g_totals;
DROP TABLE g_orders;
DROP TABLE g_plan;
DROP TABLE g_tier;
