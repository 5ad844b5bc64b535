package dev.storefront.crm.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** Sends a file while another thread appends to it, so the first bytes go out before the last are written. */
final class GrowingFile {

    /** How long to wait for more bytes when the reader has caught up with the writer. */
    private static final long CAUGHT_UP_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private GrowingFile() {
    }

    /**
     * Copies {@code file} to {@code out} until {@code writer} is done and every byte it wrote was sent.
     * The writer must only append: bytes below the file's end never change once there.
     */
    static void send(Path file, Future<?> writer, OutputStream out) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (true) {
                // Asked before the read: a writer done by then wrote everything that read can see.
                boolean writerDone = writer.isDone();
                int read = channel.read(buffer);
                if (read > 0) {
                    out.write(buffer.array(), 0, read);
                    buffer.clear();
                } else if (writerDone) {
                    return;
                } else {
                    LockSupport.parkNanos(CAUGHT_UP_PAUSE_NANOS);
                }
            }
        }
    }
}
