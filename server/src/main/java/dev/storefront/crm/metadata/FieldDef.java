package dev.storefront.crm.metadata;

import dev.storefront.crm.api.FieldKind;
import java.util.List;

/**
 * One field of an object: a typed column of the object's table.
 *
 * @param defaultValue already converted to the field's Java type (see {@link FieldValues}), or null
 * @param options      the allowed labels of an enum or multi-enum field, in display order
 * @param relatedObject api name of the target object of a relation field
 * @param computed      how the engine computes a read-only field (rollup or formula), or null for a
 *                      field that clients write
 * @param scale         decimal places a number field keeps and answers (money: 2), or null for the
 *                      default of {@value FieldValues#NUMBER_SCALE} answered without trailing zeros
 */
public record FieldDef(
        String apiName,
        String label,
        FieldKind kind,
        boolean required,
        boolean unique,
        Object defaultValue,
        List<String> options,
        String relatedObject,
        int position,
        String description,
        Computed computed,
        Integer scale) {

    public FieldDef {
        options = options == null ? List.of() : List.copyOf(options);
    }

    public FieldDef(String apiName, String label, FieldKind kind, boolean required, boolean unique, Object defaultValue,
                    List<String> options, String relatedObject, int position, String description) {
        this(apiName, label, kind, required, unique, defaultValue, options, relatedObject, position, description, null, null);
    }

    public FieldDef(String apiName, String label, FieldKind kind, boolean required, boolean unique, Object defaultValue,
                    List<String> options, String relatedObject, int position, String description, Computed computed) {
        this(apiName, label, kind, required, unique, defaultValue, options, relatedObject, position, description, computed, null);
    }

    /** The decimal places a number field stores: its declared scale, or the default. */
    public int numberScale() {
        return scale == null ? FieldValues.NUMBER_SCALE : scale;
    }

    /** Rollups and formulas: the engine writes them, clients only read them. */
    public boolean isComputed() {
        return computed != null;
    }

    /** A relation keeps the target's id in {@code <name>_id}, as a hand-written schema would. */
    public String column() {
        return kind == FieldKind.RELATION ? apiName + "_id" : apiName;
    }

    public boolean isRelation() {
        return kind == FieldKind.RELATION;
    }

    public FieldDef withPosition(int newPosition) {
        return new FieldDef(apiName, label, kind, required, unique, defaultValue, options, relatedObject,
                newPosition, description, computed, scale);
    }
}
