package dev.storefront.crm.imports;

import dev.storefront.crm.errors.CrmException;
import dev.storefront.crm.errors.ErrorCode;
import dev.storefront.crm.jobs.Job;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /imports/{importer}}: the file is the body ({@code text/csv}) or the {@code file}
 * part of a multipart form; the mapping is the {@code mapping} query parameter or form part. Answers
 * 202 with the job id at once; the file streams to disk, never whole into memory.
 */
@RestController
class ImportController {

    private final ImportService imports;

    ImportController(ImportService imports) {
        this.imports = imports;
    }

    @PostMapping("/imports/{importer}")
    ResponseEntity<Map<String, Object>> upload(@PathVariable String importer,
                                               @RequestParam(required = false) String mapping,
                                               @RequestParam(required = false) String delimiter,
                                               @RequestParam(required = false) String charset,
                                               HttpServletRequest request) throws IOException, jakarta.servlet.ServletException {
        Job job;
        String contentType = request.getContentType() == null ? "" : request.getContentType();
        if (contentType.startsWith("multipart/")) {
            Part file = request.getPart("file");
            if (file == null) {
                throw new CrmException(ErrorCode.VALIDATION, "The multipart form needs a 'file' part");
            }
            Part mappingPart = request.getPart("mapping");
            String mappingText = mapping;
            if (mappingPart != null) {
                try (InputStream in = mappingPart.getInputStream()) {
                    mappingText = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            try (InputStream in = file.getInputStream()) {
                job = imports.start(importer, in, mappingText, delimiter, charset);
            }
        } else {
            try (InputStream in = request.getInputStream()) {
                job = imports.start(importer, in, mapping, delimiter, charset);
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("jobId", job.id());
        body.put("importer", importer);
        body.put("state", job.view().state().name());
        return ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create("/imports/jobs/" + job.id())).body(body);
    }

    @ExceptionHandler(CrmException.class)
    ResponseEntity<Map<String, Object>> refused(CrmException e) {
        HttpStatus status = switch (e.code()) {
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case VALIDATION -> HttpStatus.BAD_REQUEST;
            case CONFLICT -> HttpStatus.CONFLICT;
            case INTERNAL -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
        return ResponseEntity.status(status).body(Map.of("code", e.code().name(), "message", e.getMessage()));
    }
}
