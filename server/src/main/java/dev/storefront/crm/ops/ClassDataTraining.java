package dev.storefront.crm.ops;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * The build's training start for the class-data archive ({@code crm.class-data-training=true}, server/pom.xml):
 * once the server is ready it answers one GraphQL request to itself over HTTP and exits, so the archive also
 * holds the classes of a first answer (Tomcat's request handling, the filters, graphql-java's execution,
 * Jackson), which a start that exited on refresh never loads. Decided at run time, not by a condition, as
 * Spring AOT fixes conditions at build time.
 */
@Component
class ClassDataTraining implements ApplicationListener<ApplicationReadyEvent> {

    private final boolean training;
    private final String adminKey;

    ClassDataTraining(@Value("${crm.class-data-training:false}") boolean training,
                      @Value("${crm.security.admin-key:}") String adminKey) {
        this.training = training;
        this.adminKey = adminKey;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        if (!training) {
            return;
        }
        if (adminKey.isBlank()) {
            throw new IllegalStateException("crm.class-data-training needs crm.security.admin-key to send its request");
        }
        int port = ((WebServerApplicationContext) event.getApplicationContext()).getWebServer().getPort();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/graphql"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + adminKey)
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ __typename }\"}")).build();
        try {
            int status = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status != 200) {
                throw new IllegalStateException("The training request was answered with HTTP " + status);
            }
        } catch (IOException e) {
            throw new IllegalStateException("The training request failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during the training request", e);
        }
        System.exit(SpringApplication.exit(event.getApplicationContext()));
    }
}
