package com.example.honeybee.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The figures a reliability test measured: printed, and written to target/reliability/NAME.txt for docs/RELIABILITY.md. */
final class Figures {

    private final String name;
    private final Map<String, Object> values = new LinkedHashMap<>();

    Figures(String name) {
        this.name = name;
    }

    Figures put(String key, Object value) {
        values.put(key, value);
        return this;
    }

    void write() throws IOException {
        StringBuilder text = new StringBuilder(name).append('\n');
        values.forEach((k, v) -> text.append("  ").append(k).append(": ").append(v).append('\n'));
        System.out.print(text);
        Path dir = Path.of("target", "reliability");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(name + ".txt"), text);
    }

    static int size(String property, int ciDefault) {
        return Integer.getInteger(property, ciDefault);
    }
}
