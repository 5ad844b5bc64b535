package dev.storefront.crm.metadata;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A formula, parsed: numbers, field api names, {@code + - * /}, parentheses and a few functions
 * ({@code round(x, digits)}, {@code days_between(from, to)}, {@code coalesce(a, b)}). Any empty input
 * makes the result empty, and so does a division by zero. Rendered to SQL in storage.
 */
public sealed interface Expression {

    Set<String> FUNCTIONS = Set.of("round", "days_between", "coalesce");

    record Number(BigDecimal value) implements Expression {
    }

    record Field(String name) implements Expression {
    }

    record Negate(Expression inner) implements Expression {
    }

    record Binary(char operator, Expression left, Expression right) implements Expression {
    }

    record Call(String function, List<Expression> arguments) implements Expression {
    }

    /** The field names the expression reads. */
    default Set<String> fields() {
        Set<String> names = new java.util.LinkedHashSet<>();
        collect(this, names);
        return names;
    }

    private static void collect(Expression e, Set<String> names) {
        if (e instanceof Field f) {
            names.add(f.name());
        } else if (e instanceof Negate n) {
            collect(n.inner(), names);
        } else if (e instanceof Binary b) {
            collect(b.left(), names);
            collect(b.right(), names);
        } else if (e instanceof Call c) {
            c.arguments().forEach(a -> collect(a, names));
        }
    }

    static Expression parse(String text) {
        return new Parser(text).parseAll();
    }

    /** Recursive descent over {@code sum := product (('+'|'-') product)*}, {@code product := unary (('*'|'/') unary)*}. */
    final class Parser {

        private static final Pattern TOKEN = Pattern.compile("\\s*(?:([0-9]+(?:\\.[0-9]+)?)|([a-z][a-z0-9_]*)|([-+*/(),]))");

        private final String text;
        private final List<String> tokens = new ArrayList<>();
        private int next;

        Parser(String text) {
            this.text = text == null ? "" : text;
            Matcher matcher = TOKEN.matcher(this.text);
            int at = 0;
            while (at < this.text.length() && !this.text.substring(at).isBlank()) {
                if (!matcher.find(at) || matcher.start() != at) {
                    throw error("cannot read '" + this.text.substring(at).strip() + "'");
                }
                tokens.add(matcher.group().strip());
                at = matcher.end();
            }
        }

        Expression parseAll() {
            Expression expression = sum();
            if (next < tokens.size()) {
                throw error("unexpected '" + tokens.get(next) + "'");
            }
            return expression;
        }

        private Expression sum() {
            Expression left = product();
            while (peek("+") || peek("-")) {
                char operator = tokens.get(next++).charAt(0);
                left = new Binary(operator, left, product());
            }
            return left;
        }

        private Expression product() {
            Expression left = unary();
            while (peek("*") || peek("/")) {
                char operator = tokens.get(next++).charAt(0);
                left = new Binary(operator, left, unary());
            }
            return left;
        }

        private Expression unary() {
            if (peek("-")) {
                next++;
                return new Negate(unary());
            }
            if (peek("(")) {
                next++;
                Expression inner = sum();
                expect(")");
                return inner;
            }
            if (next >= tokens.size()) {
                throw error("ends too early");
            }
            String token = tokens.get(next++);
            if (Character.isDigit(token.charAt(0))) {
                return new Number(new BigDecimal(token));
            }
            if (!Character.isLetter(token.charAt(0))) {
                throw error("unexpected '" + token + "'");
            }
            if (!peek("(")) {
                return new Field(token);
            }
            if (!FUNCTIONS.contains(token)) {
                throw error("has no function '" + token + "' (known: round, days_between, coalesce)");
            }
            next++;
            List<Expression> arguments = new ArrayList<>(List.of(sum()));
            while (peek(",")) {
                next++;
                arguments.add(sum());
            }
            expect(")");
            int wanted = token.equals("coalesce") ? arguments.size() : 2;
            if (arguments.size() != wanted || arguments.size() < 2) {
                throw error(token + " takes two arguments");
            }
            return new Call(token, arguments);
        }

        private boolean peek(String token) {
            return next < tokens.size() && tokens.get(next).equals(token);
        }

        private void expect(String token) {
            if (!peek(token)) {
                throw error("expects '" + token + "'");
            }
            next++;
        }

        private IllegalArgumentException error(String problem) {
            return new IllegalArgumentException("The formula '" + text + "' " + problem);
        }
    }
}
