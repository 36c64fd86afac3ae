package com.example.honeybee.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Expected strings are written out by hand. */
class LogSafeTest {

    @Test
    void printableValuesPassUnchanged() {
        assertThat(LogSafe.escape("a7a26ff2-e851-45b6-9634-d595f45458b7")).isEqualTo("a7a26ff2-e851-45b6-9634-d595f45458b7");
        assertThat(LogSafe.escape("Crème brûlée 😀")).isEqualTo("Crème brûlée 😀");
        assertThat(LogSafe.escape(null)).isEqualTo("null");
        assertThat(LogSafe.escape(183601L)).isEqualTo("183601");
    }

    @Test
    void lineBreaksAndControlCharactersCannotForgeALine() {
        assertThat(LogSafe.escape("evt-1\r\n2026-11-30 INFO forged")).isEqualTo("evt-1\\u000D\\u000A2026-11-30 INFO forged");
        assertThat(LogSafe.escape("a\u0000b\u001b[31m\u007f\u0085")).isEqualTo("a\\u0000b\\u001B[31m\\u007F\\u0085");
        assertThat(LogSafe.escape("x\u2028y\u2029z\u202e\ufeff")).isEqualTo("x\\u2028y\\u2029z\\u202E\\uFEFF");
        assertThat(LogSafe.escape("\ud800 and \udc00")).isEqualTo("\\uD800 and \\uDC00");
    }

    @Test
    void aBackslashIsDoubledSoEscapesAreUnambiguous() {
        assertThat(LogSafe.escape("looks\\u000Alike")).isEqualTo("looks\\\\u000Alike");
    }

    @Test
    void longValuesAreCutAt200Characters() {
        assertThat(LogSafe.escape("x".repeat(250))).isEqualTo("x".repeat(200) + "...(250 chars)");
    }
}
