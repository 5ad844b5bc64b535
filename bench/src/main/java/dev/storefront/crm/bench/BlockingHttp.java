package dev.storefront.crm.bench;

import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;

/**
 * The client the timed GraphQL requests and downloads go through (webhook deliveries: {@link WebhookPoster}):
 * blocking HTTP/1.1 (Apache HttpClient 5 classic) over pooled kept-alive connections, so the calling thread
 * writes its request and reads its answer itself.
 * The JDK's asynchronous client handed each request and each buffer of a body between the caller, its
 * selector and a worker thread: ~1.2-1.6 ms of CPU a point read against ~0.6-0.9 ms, twice a webhook
 * delivery's, and 174-306 ms for a 25 MB export against curl's 40-90 ms, all of it on the two cores the
 * server runs on and counted in our side's time, where the hand SQL has no client (bench/NOTES.md, tenth and
 * eleventh sessions). Nothing is retried: a failed request fails its row.
 */
final class BlockingHttp {

    /** Longer than any one answer takes, an export of 10M customers included. */
    private static final int SOCKET_TIMEOUT_MINUTES = 30;

    private BlockingHttp() {
    }

    /** @param connections more than the requests a row sends at once, so none waits for a connection */
    static CloseableHttpClient client(int connections) {
        return HttpClients.custom().disableAutomaticRetries()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnPerRoute(connections).setMaxConnTotal(connections)
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(5, TimeUnit.SECONDS)
                                .setSocketTimeout(SOCKET_TIMEOUT_MINUTES, TimeUnit.MINUTES).build())
                        .build())
                .build();
    }
}
