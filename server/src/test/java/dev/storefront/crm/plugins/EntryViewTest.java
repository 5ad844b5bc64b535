package dev.storefront.crm.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storefront.crm.storage.Entry;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The events' view of an entry reads as the copy plugins get from the context: same keys, order and values. */
class EntryViewTest {

    @Test
    void readsAsTheCopyPluginsGetElsewhere() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("email", "ada@example.com");
        values.put("notes", null);
        values.put("tags", List.of("vip"));
        OffsetDateTime created = OffsetDateTime.parse("2024-03-05T06:07:08Z");
        Entry entry = new Entry("customers", 42, created, created.plusHours(1), values);

        EntryView view = new EntryView(entry);

        assertThat(view).isEqualTo(DefaultCrmContext.toMap(entry));
        assertThat(new ArrayList<>(view.keySet())).containsExactly("id", "created_at", "updated_at", "email", "notes", "tags");
        assertThat(view.get("id")).isEqualTo(42L);
        assertThat(view.get("updated_at")).isEqualTo(created.plusHours(1));
        assertThat(view.get("email")).isEqualTo("ada@example.com");
        assertThat(view.containsKey("notes")).isTrue();
        assertThat(view.get("notes")).isNull();
        assertThat(view.containsKey("phone")).isFalse();
        assertThat(view).hasSize(6);
    }
}
