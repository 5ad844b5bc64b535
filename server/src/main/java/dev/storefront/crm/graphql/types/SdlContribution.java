package dev.storefront.crm.graphql.types;

import java.util.Map;
import java.util.function.Function;

/**
 * Types and root fields written as SDL by someone other than the generators (a plugin, or the
 * host's plugin/job API): own types plus {@code extend type Query/Mutation} fields, each answered
 * by a function of the field's arguments.
 *
 * @param owner     who contributes it (a plugin id), for error reports
 * @param resolvers by {@code "Query.<field>"} / {@code "Mutation.<field>"}
 */
public record SdlContribution(String owner, String sdl, Map<String, Function<Map<String, Object>, Object>> resolvers) {
}
