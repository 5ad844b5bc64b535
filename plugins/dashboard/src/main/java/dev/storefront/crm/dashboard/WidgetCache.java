package dev.storefront.crm.dashboard;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Answers by query and arguments, dropped when an object they read changes. Each object has a
 * generation, moved on by every change; an answer remembers the generations it was computed under
 * (taken before its statements ran) and is served only while they are unchanged. So an answer
 * computed while a write commits is never served after the change is heard, and nothing has to
 * find and remove entries. Least recently used answers go first when full. An answer is kept in its
 * GraphQL form, built once: a cached board is then only lookups, not a rebuild of every widget's maps.
 */
final class WidgetCache {

    private record Key(String query, Args args) {
    }

    private record Answer(Map<String, Object> graphQl, Map<String, Long> generations) {
    }

    private final Map<String, AtomicLong> generations = new ConcurrentHashMap<>();
    /** Changes of any object heard so far. */
    private final AtomicLong changes = new AtomicLong();
    /** Statements running now, by text, values and {@link #changes} when they started. */
    private final Map<List<Object>, CompletableFuture<List<Map<String, Object>>>> running = new ConcurrentHashMap<>();
    private final Map<Key, Answer> answers;

    WidgetCache(int capacity) {
        this.answers = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Answer> eldest) {
                return size() > capacity;
            }
        };
    }

    /** An object changed: every answer that read it is stale from now on. */
    void changed(String object) {
        generations.computeIfAbsent(object, o -> new AtomicLong()).incrementAndGet();
        changes.incrementAndGet();
    }

    /**
     * The rows of a statement, run once for the widgets that ask it at the same time (the board's revenue,
     * orders and average order value stats ask the same totals): the first runs it, the others wait for
     * its rows. Only while nothing changed since it started, so no widget gets rows older than the
     * generations it took before its own statements.
     */
    List<Map<String, Object>> shared(String text, List<Object> values, Supplier<List<Map<String, Object>>> statement) {
        List<Object> key = Arrays.asList(text, values, changes.get());
        CompletableFuture<List<Map<String, Object>>> mine = new CompletableFuture<>();
        CompletableFuture<List<Map<String, Object>>> other = running.putIfAbsent(key, mine);
        if (other != null) {
            try {
                return other.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        try {
            List<Map<String, Object>> rows = statement.get();
            mine.complete(rows);
            return rows;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            running.remove(key, mine);
        }
    }

    /** The answer in its GraphQL form ({@link WidgetData#toGraphQl()}), computed when none is kept. */
    Map<String, Object> get(WidgetQuery query, Args args, Supplier<WidgetData> compute) {
        Map<String, Object> cached = cached(query, args);
        if (cached != null) {
            return cached;
        }
        Map<String, Long> before = generationsOf(query.reads(args));
        Map<String, Object> graphQl = Collections.unmodifiableMap(compute.get().toGraphQl());
        synchronized (answers) {
            answers.put(new Key(query.name(), args), new Answer(graphQl, before));
        }
        return graphQl;
    }

    /** The answer kept for the query and arguments while nothing it read has changed, else null. */
    Map<String, Object> cached(WidgetQuery query, Args args) {
        Answer cached;
        synchronized (answers) {
            cached = answers.get(new Key(query.name(), args));
        }
        return cached != null && cached.generations().equals(generationsOf(query.reads(args))) ? cached.graphQl() : null;
    }

    private Map<String, Long> generationsOf(Set<String> objects) {
        Map<String, Long> now = new HashMap<>();
        for (String object : objects) {
            now.put(object, generations.computeIfAbsent(object, o -> new AtomicLong()).get());
        }
        return now;
    }
}
