package dev.storefront.crm.web;

import dev.storefront.crm.CrmProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Cross-origin access for the origins in {@code crm.cors.allowed-origins}, to every endpoint (GraphQL,
 * exports, imports, plugin endpoints). With none configured no CORS header is ever sent, so browsers
 * keep other sites' pages from reading answers; a preflight from an origin not listed gets 403.
 */
@Configuration(proxyBeanMethods = false)
class CorsConfiguration implements WebMvcConfigurer {

    private final CrmProperties.Cors cors;

    CorsConfiguration(CrmProperties properties) {
        this.cors = properties.cors();
    }

    @Override
    public void addCorsMappings(CorsRegistry registry) {
        if (cors.allowedOrigins().isEmpty()) {
            return;
        }
        registry.addMapping("/**")
                .allowedOrigins(cors.allowedOrigins().toArray(String[]::new))
                .allowedMethods("GET", "POST")
                .allowedHeaders("Content-Type", "Authorization", "Accept")
                .maxAge(3600);
    }
}
