package dev.storefront.crm.web;

import dev.storefront.crm.CrmProperties;
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
}
