package com.example.honeybee.db;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import com.example.honeybee.webhook.FieldSpec;
import com.example.honeybee.webhook.WebhookFields;

/**
 * Checks, after the migrations ran, that every column the field catalogue names can hold every value
 * the catalogue lets through intake: text columns at least as long as the field's limit, integer and
 * decimal columns wide enough for its range and decimal places, date-times with a time zone, booleans.
 * The bundle does not start when they disagree, so a limit raised in {@link WebhookFields} without
 * a migration (or a column narrowed by hand) is found before any event is acknowledged and lost.
 * Reads JDBC metadata only (no table is touched); works on H2 and PostgreSQL.
 */
public final class SchemaAgreement {

    private static final BigDecimal INT_MAX = BigDecimal.valueOf(Integer.MAX_VALUE);
    private static final BigDecimal INT_MIN = BigDecimal.valueOf(Integer.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);

    private SchemaAgreement() {
    }

    /** A column as the database describes it. */
    record Column(int sqlType, String typeName, int size, int decimalDigits) {
    }

    /** Fails with every disagreement listed when a column cannot hold what its field allows. */
    public static void check(DataSource dataSource, List<WebhookFields.Declared> fields) {
        List<String> problems = problems(dataSource, fields);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the database schema cannot hold what webhook intake accepts (field catalogue"
                    + " com.example.honeybee.webhook.WebhookFields): " + String.join("; ", problems)
                    + ". Add a migration that widens these columns, or lower the limits.");
        }
    }

    static List<String> problems(DataSource dataSource, List<WebhookFields.Declared> fields) {
        Set<String> tables = new LinkedHashSet<>();
        fields.forEach(f -> f.field().columns().forEach(c -> tables.add(c.substring(0, c.indexOf('.')))));
        Map<String, Column> columns = read(dataSource, tables);
        List<String> problems = new ArrayList<>();
        for (WebhookFields.Declared declared : fields) {
            for (String name : declared.field().columns()) {
                Column column = columns.get(name.toLowerCase(Locale.ROOT));
                String problem = column == null ? "does not exist" : problem(declared.field(), column);
                if (problem != null) {
                    problems.add((declared.type() == null ? "" : declared.type() + " ") + declared.path() + " -> " + name + " " + problem);
                }
            }
        }
        return problems;
    }

    private static String problem(FieldSpec field, Column column) {
        return switch (field.kind()) {
            case ID, TEXT, DRUG_SCHEDULE -> !isCharacter(column.sqlType()) ? "is not a character column"
                    : column.size() < field.maxLength() ? "holds " + column.size() + " characters, the field allows " + field.maxLength() : null;
            case INTEGER -> holdsIntegers(column, field.min(), field.max()) ? null
                    : "cannot hold integers from " + field.min().toPlainString() + " to " + field.max().toPlainString();
            case DECIMAL -> holdsDecimals(column, field) ? null
                    : "cannot hold " + field.max().toPlainString() + " with " + field.scale() + " decimal places";
            case BOOLEAN -> column.sqlType() == Types.BOOLEAN || column.sqlType() == Types.BIT ? null : "is not a boolean column";
            case DATE_TIME -> column.sqlType() == Types.TIMESTAMP_WITH_TIMEZONE || "timestamptz".equalsIgnoreCase(column.typeName())
                    ? null : "is not a timestamp with time zone";
            case OBJECT, ARRAY -> "names a column, but objects and arrays are not stored in one";
        };
    }

    private static boolean isCharacter(int sqlType) {
        return switch (sqlType) {
            case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR, Types.CLOB, Types.NCLOB -> true;
            default -> false;
        };
    }

    private static boolean holdsIntegers(Column column, BigDecimal min, BigDecimal max) {
        return switch (column.sqlType()) {
            case Types.INTEGER -> min.compareTo(INT_MIN) >= 0 && max.compareTo(INT_MAX) <= 0;
            case Types.BIGINT -> min.compareTo(LONG_MIN) >= 0 && max.compareTo(LONG_MAX) <= 0;
            case Types.NUMERIC, Types.DECIMAL -> integerDigits(min.abs().max(max.abs())) <= column.size() - column.decimalDigits();
            default -> false;
        };
    }

    private static boolean holdsDecimals(Column column, FieldSpec field) {
        boolean numeric = column.sqlType() == Types.NUMERIC || column.sqlType() == Types.DECIMAL;
        return numeric && column.decimalDigits() >= field.scale()
                && integerDigits(field.min().abs().max(field.max().abs())) <= column.size() - column.decimalDigits();
    }

    private static int integerDigits(BigDecimal value) {
        return Math.max(1, value.precision() - value.scale());
    }

    private static Map<String, Column> read(DataSource dataSource, Set<String> tables) {
        Map<String, Column> columns = new HashMap<>();
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMetaData meta = connection.getMetaData();
            String schema = pattern(meta, connection.getSchema());
            for (String table : tables) {
                String stored = meta.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT)
                        : meta.storesLowerCaseIdentifiers() ? table.toLowerCase(Locale.ROOT) : table;
                try (ResultSet rows = meta.getColumns(connection.getCatalog(), schema, pattern(meta, stored), null)) {
                    while (rows.next()) {
                        columns.put((table + "." + rows.getString("COLUMN_NAME")).toLowerCase(Locale.ROOT),
                                new Column(rows.getInt("DATA_TYPE"), rows.getString("TYPE_NAME"), rows.getInt("COLUMN_SIZE"),
                                        rows.getInt("DECIMAL_DIGITS")));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the database schema: SQLState " + e.getSQLState(), e);
        }
        return columns;
    }

    /** A name as a metadata pattern: '_' and '%' would otherwise match any character. */
    private static String pattern(DatabaseMetaData meta, String name) throws SQLException {
        if (name == null) {
            return null;
        }
        String escape = meta.getSearchStringEscape();
        return name.replace(escape, escape + escape).replace("_", escape + "_").replace("%", escape + "%");
    }
}
