package dev.storefront.crm.web;

import dev.storefront.crm.storage.ReadOnlySql;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /sql} with {@code {"query": "SELECT ..."}}: the read-only SQL console over plain HTTP. */
@RestController
class SqlController {

    record SqlRequest(String query) {
    }

    private final ReadOnlySql sql;
    private final ReadOnlySql.Limits limits;

    SqlController(ReadOnlySql sql, ReadOnlySql.Limits limits) {
        this.sql = sql;
        this.limits = limits;
    }

    @PostMapping("/sql")
    ReadOnlySql.Result run(@RequestBody SqlRequest request) {
        return sql.run(request.query() == null ? "" : request.query(), limits);
    }
}
