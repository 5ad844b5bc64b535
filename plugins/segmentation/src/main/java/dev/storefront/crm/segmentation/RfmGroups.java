package dev.storefront.crm.segmentation;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The RFM group of each (R, FM) cell, read from {@code segmentation/rfm-groups.yaml}. */
record RfmGroups(Map<List<Integer>, String> cells, String prospects) {

    static RfmGroups shipped() {
        Map<String, Object> document = RuleSet.yaml("segmentation/rfm-groups.yaml");
        Map<List<Integer>, String> cells = new LinkedHashMap<>();
        RuleSet.cast(document.get("groups")).forEach((r, row) -> {
            List<?> names = (List<?>) row;
            for (int fm = 1; fm <= names.size(); fm++) {
                cells.put(List.of(Integer.parseInt(String.valueOf(r)), fm), String.valueOf(names.get(fm - 1)));
            }
        });
        return new RfmGroups(cells, String.valueOf(document.get("prospects")));
    }

    /** Every group name, the prospects last: the options of the RFM Group field. */
    Set<String> names() {
        Set<String> names = new LinkedHashSet<>(cells.values());
        names.add(prospects);
        return names;
    }
}
