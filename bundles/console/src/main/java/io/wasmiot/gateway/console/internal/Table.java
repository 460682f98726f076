package io.wasmiot.gateway.console.internal;

import java.util.List;

/** Left-aligned columns, two spaces apart; device-supplied text kept on one line. */
final class Table {
    private Table() {
    }

    static String format(List<String[]> rows) {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], clean(row[c]).length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                String cell = clean(row[c]);
                text.append(cell);
                if (c < columns - 1) {
                    text.append(" ".repeat(widths[c] - cell.length() + 2));
                }
            }
            text.append('\n');
        }
        return text.toString();
    }

    private static String clean(String cell) {
        return cell == null ? "-" : cell.replaceAll("\\p{Cntrl}", "?");
    }
}
