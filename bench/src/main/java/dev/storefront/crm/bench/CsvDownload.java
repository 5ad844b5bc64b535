package dev.storefront.crm.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;

/** Downloads a CSV export and counts its records, on a {@link BlockingHttp} client. */
final class CsvDownload implements AutoCloseable {

    private final CloseableHttpClient http = BlockingHttp.client(1);

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
