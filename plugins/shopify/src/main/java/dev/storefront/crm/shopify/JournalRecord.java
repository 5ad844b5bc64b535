package dev.storefront.crm.shopify;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * One delivery in the {@link DeliveryJournal}: {@code [payload length][CRC32C of the payload][payload]},
 * the payload being the delivery's fields, each as a length (-1: none) and its UTF-8 bytes. A crash while
 * a record is written leaves it short or with a checksum that does not match: {@link Reader} stops there.
 */
final class JournalRecord {

    /** The length and the checksum before each payload. */
    static final int HEADER_BYTES = 8;

    private JournalRecord() {
    }

    static byte[] encode(Deliveries.Delivery delivery) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream(256 + delivery.body().length() * 2);
        try (DataOutputStream out = new DataOutputStream(payload)) {
            for (String field : new String[] {delivery.webhookId(), delivery.eventId(), delivery.topic(), delivery.shop(),
                    delivery.triggeredAt(), delivery.body()}) {
                writeText(out, field);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] bytes = payload.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return ByteBuffer.allocate(HEADER_BYTES + bytes.length).putInt(bytes.length).putInt((int) crc.getValue()).put(bytes).array();
    }

    private static void writeText(DataOutputStream out, String text) throws IOException {
        if (text == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /**
     * Reads the records of one segment, from {@code offset} (where a record begins) to {@code end}: up to the
     * end, the zeros written ahead of the records, or a torn record.
     */
    static final class Reader {

        private final DataInputStream in;
        private long offset;
        private final long end;
        private boolean torn;

        Reader(InputStream in, long offset, long end) {
            this.in = new DataInputStream(in);
            this.offset = offset;
            this.end = end;
        }

        /** Where the next record begins: everything before it was read whole. */
        long offset() {
            return offset;
        }

        /** True once {@link #next} stopped at a torn record (short, or its checksum wrong) rather than the end or zeros. */
        boolean torn() {
            return torn;
        }

        /** The next delivery, or null at the end, at the zeros written ahead, or at a torn record. */
        Deliveries.Delivery next() throws IOException {
            if (offset == end) {
                return null;
            }
            byte[] payload;
            try {
                int length = in.readInt();
                int checksum = in.readInt();
                if (length == 0 && checksum == 0) {
                    return null;
                }
                if (length < 0 || length > end - offset - HEADER_BYTES) {
                    torn = true;
                    return null;
                }
                payload = in.readNBytes(length);
                if (payload.length < length || !matches(payload, checksum)) {
                    torn = true;
                    return null;
                }
            } catch (EOFException end) {
                torn = true;
                return null;
            }
            offset += HEADER_BYTES + payload.length;
            DataInputStream fields = new DataInputStream(new ByteArrayInputStream(payload));
            return new Deliveries.Delivery(readText(fields), readText(fields), readText(fields), readText(fields), readText(fields),
                    readText(fields));
        }

        private static boolean matches(byte[] payload, int checksum) {
            CRC32C crc = new CRC32C();
            crc.update(payload);
            return (int) crc.getValue() == checksum;
        }

        private static String readText(DataInputStream in) throws IOException {
            int length = in.readInt();
            return length < 0 ? null : new String(in.readNBytes(length), StandardCharsets.UTF_8);
        }
    }
}
