package dev.storefront.crm;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Our settings, under {@code crm.*}. Paths are bound as text: Spring's own String-to-Path
 * conversion resolves through the web resource loader and rejects {@code ../schema}.
 *
 * @param database  the DuckDB file; its folders are created
 * @param schemaDir the folder of model YAML files applied at every start
 * @param demo      fill an empty database with the demo store
 * @param timezone  the store's time zone (an IANA region such as {@code Europe/Berlin}): where its
 *                  days and months begin for dates derived from timestamps
 */
@ConfigurationProperties("crm")
public record CrmProperties(
        @DefaultValue("./data/crm.duckdb") String database,
        @DefaultValue("./schema") String schemaDir,
        @DefaultValue("false") boolean demo,
        @DefaultValue Demo demoStore,
        @DefaultValue Graphql graphql,
        @DefaultValue Sql sql,
        @DefaultValue Duckdb duckdb,
        @DefaultValue Http http,
        @DefaultValue RateLimit rateLimit,
        @DefaultValue Cors cors,
        @DefaultValue Security security,
        @DefaultValue("UTC") String timezone) {

    public CrmProperties {
        timeZone(timezone);
    }

    public Path databaseFile() {
        return Path.of(database);
    }

    public ZoneId timeZone() {
        return timeZone(timezone);
    }

    private static ZoneId timeZone(String name) {
        try {
            return ZoneId.of(name);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("crm.timezone: '" + name + "' is not a time zone; use a region such as Europe/Berlin, or UTC");
        }
    }

    public Path schemaFolder() {
        return Path.of(schemaDir);
    }

    /**
     * Size and seed of the demo store; the same seed gives the same store.
     *
     * @param orders how many orders in all; 0 means five per customer
     */
    public record Demo(@DefaultValue("2000") int customers, @DefaultValue("42") long seed, @DefaultValue("0") long orders) {

        public long ordersWanted() {
            return orders > 0 ? orders : 5L * customers;
        }
    }

    /**
     * Browser origins (scheme, host and port, e.g. {@code https://admin.example.com}) whose pages may
     * call the API; none by default, so a page from another site cannot read the answers.
     */
    public record Cors(@DefaultValue List<String> allowedOrigins) {
    }

    /** Custom roles declared in configuration, by name ({@code crm.security.roles.support.objects.customers.allow=read}). */
    public record Security(@DefaultValue Map<String, RoleGrants> roles) {
    }

    /** A custom role: what it may do with each object, by object api name. */
    public record RoleGrants(@DefaultValue Map<String, ObjectGrants> objects) {
    }

    /**
     * @param allow    operations: read, create, update, delete
     * @param readable GraphQL names of the fields it reads
     * @param writable GraphQL names of the fields it writes (also readable)
     */
    public record ObjectGrants(@DefaultValue List<String> allow, @DefaultValue List<String> readable,
                               @DefaultValue List<String> writable) {
    }

    /**
     * The read-only SQL console: how long one request's queries may run in all, how many rows it
     * returns at most, how long one row may be as text, and how many characters of values in all.
     */
    public record Sql(@DefaultValue("10s") java.time.Duration timeout, @DefaultValue("10000") int maxRows,
                      @DefaultValue("100000") long maxRowChars, @DefaultValue("10000000") long maxResultChars) {
    }

    /**
     * The largest request body, except CSV uploads to {@code /imports} (GraphQL, the SQL console, plugin
     * webhooks), and how often a running request's connection is looked at to stop its queries once the
     * client has gone.
     */
    public record Http(@DefaultValue("16MB") org.springframework.util.unit.DataSize maxBodySize,
                       @DefaultValue("250ms") java.time.Duration clientWatchInterval) {
    }

    /**
     * Requests one API key may send: {@code burst} at once, refilled at {@code requestsPerSecond};
     * of those, {@code inFlight} are worked on at the same time while up to {@code queued} more wait
     * (at most {@code maxWait}) for their turn, so one key's burst holds at most {@code inFlight} of
     * the machine's cores. {@code inFlight} 0 (the default) means half the cores, at least one: a
     * burst of two at once on two cores left another key's request a third of the machine (2.7x
     * slower in the bench's burst row), one at once leaves it half.
     */
    public record RateLimit(@DefaultValue("100") long requestsPerSecond, @DefaultValue("200") long burst,
                            @DefaultValue("0") int inFlight, @DefaultValue("64") int queued,
                            @DefaultValue("30s") java.time.Duration maxWait) {

        /** Requests one key has worked on at once. */
        public int turns() {
            return inFlight > 0 ? inFlight : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        }
    }

    /**
     * DuckDB's share of the machine (see {@code DuckDb.Limits}): memory before it spills to disk (blank:
     * from the machine), threads (0: one per core), and where it spills (blank: beside the database).
     */
    public record Duckdb(@DefaultValue("") String memoryLimit, @DefaultValue("0") int threads, @DefaultValue("") String tempDirectory) {
    }

    /**
     * Page sizes (used when a client asks for none, and the most one may ask for), the most inputs
     * of one bulk mutation, how many distinct parsed queries are kept per schema, and the limits
     * every query is held to before it runs (depth, fields, cost) and while it runs (timeout).
     */
    public record Graphql(
            @DefaultValue("50") int defaultPageSize,
            @DefaultValue("1000") int maxPageSize,
            @DefaultValue("10000") int maxBatchSize,
            @DefaultValue("500") int documentCacheSize,
            @DefaultValue("15") int maxDepth,
            @DefaultValue("500") long maxFields,
            @DefaultValue("1000000") long maxCost,
            @DefaultValue("30s") java.time.Duration requestTimeout) {
    }
}
