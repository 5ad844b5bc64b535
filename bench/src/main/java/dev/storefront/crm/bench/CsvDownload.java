package dev.storefront.crm.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;

/**
 * Downloads a CSV export and counts its records, on a blocking HTTP/1.1 client that reads the socket on
 * the caller's thread. The JDK's client hands every buffer of the body between threads: on 25 MB that
 * took ~200 ms against curl's ~50 ms (bench/NOTES.md), time the export row would have charged the server.
 */
final class CsvDownload implements AutoCloseable {

    private final CloseableHttpClient http = HttpClients.custom().disableAutomaticRetries().build();

    /** The records of the CSV at {@code uri}: its lines less the header (no record of the export spans lines). */
    long records(URI uri, String authorization) throws IOException {
        HttpGet get = new HttpGet(uri);
        get.setHeader("Authorization", authorization);
        return http.execute(get, answer -> {
            if (answer.getCode() != 200) {
                throw new IllegalStateException("Export answered " + answer.getCode());
            }
            long lines = 0;
            byte[] buffer = new byte[1 << 16];
            try (InputStream body = answer.getEntity().getContent()) {
                for (int read; (read = body.read(buffer)) > 0; ) {
                    for (int i = 0; i < read; i++) {
                        if (buffer[i] == '\n') {
                            lines++;
                        }
                    }
                }
            }
            return lines - 1;
        });
    }

    @Override
    public void close() throws IOException {
        http.close();
    }
}
