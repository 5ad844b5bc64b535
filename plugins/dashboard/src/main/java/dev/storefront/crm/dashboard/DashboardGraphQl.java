package dev.storefront.crm.dashboard;

import dev.storefront.crm.api.PluginContext;
import dev.storefront.crm.api.PluginException;
import dev.storefront.crm.api.graphql.GraphQlContribution;
import dev.storefront.crm.api.graphql.GraphQlResolver;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.pf4j.Extension;

/**
 * One GraphQL field per widget query the model supports, and {@code dashboard}, the whole board in
 * one request. Each takes {@code range} (whole days, both ends included; default the last 12
 * months to today), {@code timeZone} (default {@code crm.timezone}) and {@code filter}.
 */
@Extension
public class DashboardGraphQl implements GraphQlContribution {

    /** The longest period a widget answers, so a day trend stays a readable size. */
    static final int MAX_DAYS = 3660;

    private static final String TYPES = """
            "Whole days in the time zone, both ends included"
            input DateRange { from: Date! to: Date! }
            "Which customers a widget looks at; labels as in the model, e.g. \\"Potential Loyal\\"; all given conditions hold"
            input DashboardFilter {
              segments: [String!]
              acquisitionSources: [String!]
              "Any condition on customers, as JSON in the where model of customers(where:), e.g. {\\"lifetimeValue\\": {\\"gt\\": 500}}"
              where: String
            %s}
            enum Granularity { DAY WEEK MONTH QUARTER }
            enum StatMetric { REVENUE NET_REVENUE ORDERS AVERAGE_ORDER_VALUE NEW_CUSTOMERS }
            enum ChartKind { PIE LINE BAR TABLE STAT HEATMAP }
            type SeriesLine { name: String! values: [Decimal]! }
            "Values per label, one line per measure; a value is null where it is undefined (an average of nothing)"
            type Series { labels: [String!]! lines: [SeriesLine!]! }
            "type is ID, TEXT, NUMBER or DATE; cells are text, numbers in plain decimal notation"
            type TableColumn { name: String! type: String! }
            type Table { columns: [TableColumn!]! rows: [[String]!]! }
            "change = value / previous - 1 (null when previous is 0 or empty)"
            type Stat { value: Decimal previous: Decimal change: Float from: Date! to: Date! previousFrom: Date! previousTo: Date! }
            type MatrixLayer { name: String! values: [[Decimal]!]! }
            type Matrix { rowLabels: [String!]! columnLabels: [String!]! layers: [MatrixLayer!]! }
            union WidgetData = Series | Table | Stat | Matrix
            "A board widget; data is null and error says why when it could not be computed"
            type Widget { id: String! title: String! kind: ChartKind! query: String! data: WidgetData error: String }
            type Dashboard { from: Date! to: Date! timeZone: String! widgets: [Widget!]! }
            """;
    private static final String SHOPS = "  \"Orders, returns and customers of these shops (their shop field), other records by their customer's shop\"\n"
            + "  shops: [String!]\n";
    private static final String COMMON = "range: DateRange, timeZone: String, filter: DashboardFilter";

    @Override
    public String sdl() {
        throw new UnsupportedOperationException("the dashboard's fields depend on the model: use sdl(context)");
    }

    @Override
    public String sdl(PluginContext context) {
        Dashboard dashboard = DashboardPlugin.dashboard(context);
        dashboard.loadBoard(context);
        // Shops only where the model records them (the Shopify plugin's field), as rfmGrid only with RFM scores.
        String shops = CustomerFilter.recordsShops(context.crm(), CustomerFilter.shopField(context)) ? SHOPS : "";
        StringBuilder sdl = new StringBuilder(TYPES.formatted(shops)).append("extend type Query {\n");
        sdl.append("  \"The board: every widget of its YAML whose query the model supports, computed side by side\"\n");
        sdl.append("  dashboard(").append(COMMON).append("): Dashboard!\n");
        for (WidgetQuery query : Dashboard.QUERIES) {
            if (query.available(context.crm())) {
                sdl.append("  \"").append(query.description()).append("\"\n  ").append(query.name()).append('(').append(COMMON);
                query.options().forEach(o -> sdl.append(", ").append(o.graphQl()));
                sdl.append("): ").append(query.resultType()).append("!\n");
            }
        }
        return sdl.append("}\n").toString();
    }

    @Override
    public Map<String, GraphQlResolver> resolvers() {
        Map<String, GraphQlResolver> resolvers = new LinkedHashMap<>();
        resolvers.put("Query.dashboard", DashboardGraphQl::board);
        for (WidgetQuery query : Dashboard.QUERIES) {
            resolvers.put("Query." + query.name(), (arguments, context) -> widget(query, arguments, context));
        }
        return resolvers;
    }

    private static Object board(Map<String, Object> arguments, PluginContext context) {
        Period period = period(arguments, context);
        if (arguments.get("range") == null && arguments.get("timeZone") == null && arguments.get("filter") == null) {
            DashboardPlugin.dashboard(context).defaultBoardAsked();
        }
        Map<String, Object> board = new LinkedHashMap<>();
        board.put("from", period.from());
        board.put("to", period.to());
        board.put("timeZone", period.zone().getId());
        board.put("widgets", DashboardPlugin.dashboard(context).answerBoard(period, CustomerFilter.of(arguments.get("filter"), context), context.timeZone(), context.crm()));
        return board;
    }

    private static Object widget(WidgetQuery query, Map<String, Object> arguments, PluginContext context) {
        Map<String, Object> options = new LinkedHashMap<>();
        query.options().forEach(o -> {
            if (arguments.get(o.name()) != null) {
                options.put(o.name(), arguments.get(o.name()));
            }
        });
        java.util.List<String> problems = query.problems(options, context.crm());
        if (!problems.isEmpty()) {
            throw new PluginException("widget.arguments", query.name() + ": " + String.join("; ", problems));
        }
        Args args = new Args(period(arguments, context), CustomerFilter.of(arguments.get("filter"), context), options, context.timeZone());
        return DashboardPlugin.dashboard(context).answer(query, args, context.crm());
    }

    @SuppressWarnings("unchecked")
    static Period period(Map<String, Object> arguments, PluginContext context) {
        ZoneId zone;
        String zoneName = (String) arguments.get("timeZone");
        try {
            zone = zoneName == null ? context.timeZone() : ZoneId.of(zoneName);
        } catch (DateTimeException e) {
            throw new PluginException("timeZone", "timeZone: '" + zoneName + "' is not a time zone; use a region such as Europe/Berlin, or UTC");
        }
        Map<String, Object> range = (Map<String, Object>) arguments.get("range");
        if (range == null) {
            LocalDate today = LocalDate.now(zone);
            return new Period(today.withDayOfMonth(1).minusMonths(11), today, zone);
        }
        Period period = new Period((LocalDate) range.get("from"), (LocalDate) range.get("to"), zone);
        if (period.from().isAfter(period.to())) {
            throw new PluginException("range", "range: from (" + period.from() + ") is after to (" + period.to() + ")");
        }
        if (period.days() > MAX_DAYS) {
            throw new PluginException("range", "range: at most " + MAX_DAYS + " days (about 10 years), not " + period.days());
        }
        return period;
    }
}
