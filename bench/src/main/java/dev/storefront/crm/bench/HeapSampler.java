package dev.storefront.crm.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The highest heap use of a JVM while it works, sampled every 100 ms by {@code jstat -gc}. jstat is a JVM
 * of its own that attaches to the server: starting it costs a few hundred ms of CPU, so a timed row
 * {@link #awaitFirstSample() waits for its first sample} before its clock starts.
 */
final class HeapSampler implements AutoCloseable {

    private final Process jstat;
    private final Thread reader;
    private final CountDownLatch sampling = new CountDownLatch(1);
    private volatile double peakMb;

    HeapSampler(long pid) throws IOException {
        jstat = new ProcessBuilder(ServerProcess.jdkTool("jstat"), "-gc", Long.toString(pid), "100")
                .redirectErrorStream(true).start();
        reader = new Thread(this::read, "heap-sampler");
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(jstat.getInputStream(), StandardCharsets.UTF_8))) {
            List<String> header = null;
            for (String line; (line = lines.readLine()) != null; ) {
                List<String> cells = Arrays.asList(line.trim().split("\\s+"));
                if (cells.contains("EU")) {
                    header = cells;
                } else if (header != null && cells.size() == header.size()) {
                    double usedKb = 0;
                    for (String column : List.of("S0U", "S1U", "EU", "OU")) {
                        usedKb += Double.parseDouble(cells.get(header.indexOf(column)));
                    }
                    peakMb = Math.max(peakMb, usedKb / 1024);
                    sampling.countDown();
                }
            }
        } catch (IOException | RuntimeException e) {
            // the sampler is best effort; a missing peak shows as 0
        }
    }

    /** Returns once jstat is attached and sampling, or after 30 s (the sampler is best effort). */
    HeapSampler awaitFirstSample() throws InterruptedException {
        sampling.await(30, TimeUnit.SECONDS);
        return this;
    }

    double peakMb() {
        return peakMb;
    }

    @Override
    public void close() throws InterruptedException {
        jstat.destroy();
        reader.join(2_000);
    }
}
