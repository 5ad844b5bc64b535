package dev.storefront.crm.bench;

/**
 * One line of the table: a piece of work done by the CRM over HTTP ({@code ours}) and by hand-written
 * SQL over JDBC on the same tables. For times the ratio is ours / SQL; for rates (higher is better)
 * it is SQL / ours, so above 1 always means the CRM is slower.
 *
 * @param check what was compared between the two answers, and whether they agreed
 * @param note  anything else the row measured (peak heap, the SQL part of our time)
 */
record Row(String work, Unit unit, Samples ours, Samples sql, String check, String note) {

    enum Unit {
        MS("ms"), PER_SECOND("/s");

        final String label;

        Unit(String label) {
            this.label = label;
        }
    }

    double ratio() {
        if (sql == null || ours == null || sql.count() == 0 || ours.count() == 0) {
            return Double.NaN;
        }
        return unit == Unit.MS ? ours.median() / sql.median() : sql.median() / ours.median();
    }

    Row withNote(String more) {
        return new Row(work, unit, ours, sql, check, note == null || note.isEmpty() ? more : note + "; " + more);
    }
}
