package dev.storefront.crm.imports.csv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.storage.CsvStaging;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which uploads go to DuckDB's reader as they are: the parts of a plain file are its own lines behind
 * their record number and line, cut at chunk boundaries; every form the normalizer must rewrite (or refuse) is recognized as not plain,
 * and then no part is written. The values DuckDB reads from the parts are checked end to end by the
 * import tests ({@code CsvFormatsE2EIT}, {@code ImportCrashE2EIT}).
 */
class PlainCsvTest {

    @TempDir
    Path dir;

    private Optional<CsvNormalizer.Result> split(byte[] file, int chunkSize, char delimiter) throws IOException {
        Path in = dir.resolve("upload.csv");
        Files.write(in, file);
        return PlainCsv.split(in, chunkSize, (byte) delimiter);
    }

    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            out.writeBytes(part instanceof byte[] raw ? raw : ((String) part).getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static List<String> texts(List<Path> parts) throws IOException {
        List<String> texts = new ArrayList<>();
        for (Path part : parts) {
            texts.add(Files.readString(part));
        }
        return texts;
    }

    @Test
    void aPlainFileIsCutIntoItsOwnLinesPerChunk() throws Exception {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] file = bytes(bom, " Email ;\"Full; Name\"\r\n", "a@x.de;Zoë\r\n", "b@x.de;\"Ödön; \"\"Jr.\"\"\"\r\n", "c@x.de;C\r\n",
                "d@x.de;D\r\n", "e@x.de;E\r\n", "\r\n", "\r\n");
        CsvNormalizer.Result result = split(file, 2, ';').orElseThrow();
        assertThat(result.header()).containsExactly("Email", "Full; Name");
        assertThat(result.records()).isEqualTo(5);
        assertThat(result.lines()).isTrue();
        assertThat(result.crlf()).isTrue();
        assertThat(texts(result.parts())).containsExactly("1;2;a@x.de;Zoë\r\n2;3;b@x.de;\"Ödön; \"\"Jr.\"\"\"\r\n",
                "3;4;c@x.de;C\r\n4;5;d@x.de;D\r\n", "5;6;e@x.de;E\r\n");
        assertThat(result.part(2)).isEqualTo(new CsvStaging.Part(result.parts().get(2), 2, ';', true));
    }

    @Test
    void aLastLineWithoutLineEndIsARecord() throws Exception {
        CsvNormalizer.Result result = split(bytes("email,name\n", "a@x.de,A\n", "b@x.de,B"), 10, ',').orElseThrow();
        assertThat(result.records()).isEqualTo(2);
        assertThat(result.crlf()).isFalse();
        assertThat(texts(result.parts())).containsExactly("1,2,a@x.de,A\n2,3,b@x.de,B");
    }

    @Test
    void everyFormTheNormalizerRewritesIsNotPlain() throws Exception {
        String header = "email,name,notes\n";
        List<byte[]> files = List.of(
                bytes(header, "a@x.de,A,\"two\nlines\"\n"),
                bytes(header, "a@x.de,A,x\n", "\n", "b@x.de,B,y\n"),
                bytes("\n", header, "a@x.de,A,x\n"),
                bytes(header, "a@x.de, A,x\n"),
                bytes(header, "a@x.de,\"A \",x\n"),
                bytes(header, "a@x.de,A,=\"00123\"\n"),
                bytes(header, "a@x.de,A,\"=\"\"00123\"\"\"\n"),
                bytes(header, "a@x.de,A,'=SUM(A1)\n"),
                bytes(header, "a@x.de,A,x\"y\n"),
                bytes(header, "a@x.de,\"A\"x,y\n"),
                bytes(header, "a@x.de,M", new byte[] {(byte) 0xFC}, "ller,x\n"),
                bytes(header, "a@x.de,A\n"),
                bytes(header, "a@x.de,A,x,\n"),
                bytes(header, ",,\n"),
                bytes(header, "a@x.de,A,x\r\n"),
                bytes(header, "a@x.de,A,x\r", "b@x.de,B,y\r"),
                bytes(header, "a@x.de,A,", new byte[] {0, 1}, "\n"),
                bytes(header, "a@x.de,A,\"never closed\n"),
                bytes("email,,notes\n", "a@x.de,A,x\n"),
                bytes(header));
        for (byte[] file : files) {
            assertThat(split(file, 10, ',')).as(new String(file, StandardCharsets.UTF_8)).isEmpty();
        }
        try (Stream<Path> listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("upload.csv");
        }
    }
}
