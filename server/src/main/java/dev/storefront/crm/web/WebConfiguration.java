package dev.storefront.crm.web;

import dev.storefront.crm.CrmProperties;
import dev.storefront.crm.security.ApiKeys;
import dev.storefront.crm.security.CustomRoles;
import java.util.stream.Collectors;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

@Configuration(proxyBeanMethods = false)
class WebConfiguration {

    /** Before every other filter, so nothing reads an unbounded body or answers with an HTML error page. */
    @Bean
    FilterRegistrationBean<RequestGuard> requestGuard(CrmProperties properties) {
        FilterRegistrationBean<RequestGuard> registration =
                new FilterRegistrationBean<>(new RequestGuard(properties.http().maxBodySize().toBytes()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** Around everything, in Tomcat itself: a request whose client left stops its queries. */
    @Bean
    TomcatContextCustomizer clientWatch(CrmProperties properties) {
        return context -> context.getPipeline().addValve(new ClientWatch(properties.http().clientWatchInterval()));
    }

    /** Right after the guard: a request without a valid key reaches nothing. */
    @Bean
    FilterRegistrationBean<ApiKeyFilter> apiKeyFilter(ApiKeys keys, CustomRoles roles, CrmProperties properties) {
        FilterRegistrationBean<ApiKeyFilter> registration = new FilterRegistrationBean<>(new ApiKeyFilter(keys, roles,
                properties.cors().allowedOrigins().stream().map(String::strip).filter(o -> !o.isEmpty()).collect(Collectors.toUnmodifiableSet())));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    /** After the key is known: each key has its own budget. */
    @Bean
    FilterRegistrationBean<RateLimitFilter> rateLimitFilter(CrmProperties properties) {
        CrmProperties.RateLimit limit = properties.rateLimit();
        FilterRegistrationBean<RateLimitFilter> registration =
                new FilterRegistrationBean<>(new RateLimitFilter(limit));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        return registration;
    }
}
