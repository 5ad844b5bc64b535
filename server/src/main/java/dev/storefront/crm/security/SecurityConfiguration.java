package dev.storefront.crm.security;

import dev.storefront.crm.CrmProperties;
import dev.storefront.crm.schema.SchemaService;
import dev.storefront.crm.storage.DuckDb;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    /**
     * The keys; on a first start (no admin key stored, none configured) an admin key is created and
     * printed once, since without one nobody could create keys at all.
     */
    @Bean
    ApiKeys apiKeys(DuckDb db, @Value("${crm.security.admin-key:}") String adminKey) {
        ApiKeys keys = new ApiKeys(db, Clock.systemUTC(), adminKey);
        if (!keys.hasValidAdminKey()) {
            ApiKeys.Created first = keys.create("first admin key", Role.ADMIN, null);
            log.warn("""

                    ==========================================================================
                      First start: created an admin API key. It is shown only this once:

                        {}

                      Send it as 'Authorization: Bearer <key>' (GraphiQL: the Headers tab).
                      Create more keys with createApiKey; or set crm.security.admin-key.
                    ==========================================================================
                    """, first.secret());
        }
        return keys;
    }

    /** The custom roles; those of the configuration are checked against the model once it is up ({@code CrmStartup}). */
    @Bean
    CustomRoles customRoles(DuckDb db, SchemaService schema, CrmProperties properties, ApiKeys keys) {
        List<CustomRole> configured = new ArrayList<>();
        properties.security().roles().forEach((name, grants) -> {
            Map<String, CustomRole.ObjectGrant> objects = new LinkedHashMap<>();
            grants.objects().forEach((object, grant) -> objects.put(object, new CustomRole.ObjectGrant(
                    CustomRoles.operations(String.join(",", grant.allow()), "crm.security.roles." + name + ".objects." + object + ".allow"),
                    Set.copyOf(grant.readable()), Set.copyOf(grant.writable()))));
            CustomRole role = new CustomRole(name, objects, true);
            CustomRoles.checkName(name);
            configured.add(role);
        });
        return new CustomRoles(db, schema::current, configured, keys);
    }

    @Bean
    AuditLog auditLog(DuckDb db, ApiKeys keys) {
        return new AuditLog(db, Clock.systemUTC(), keys);
    }
}
