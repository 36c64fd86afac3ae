package com.example.honeybee.support;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.apache.camel.CamelContext;

/** Typed reads of the {@code honeybee.*} properties, with errors that name the property. */
public final class Settings {

    private final CamelContext context;

    public Settings(CamelContext context) {
        this.context = context;
    }

    public Optional<String> optional(String key) {
        return context.getPropertiesComponent().resolveProperty(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    public String string(String key, String defaultValue) {
        return optional(key).orElse(defaultValue);
    }

    public String required(String key) {
        return optional(key).orElseThrow(() -> new IllegalStateException("property " + key + " is not set"));
    }

    public int integer(String key, int defaultValue) {
        Optional<String> value = optional(key);
        try {
            return value.map(Integer::parseInt).orElse(defaultValue);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("property " + key + " must be a whole number, was '" + value.get() + "'");
        }
    }

    public boolean bool(String key, boolean defaultValue) {
        return optional(key).map(Boolean::parseBoolean).orElse(defaultValue);
    }

    /** A comma-separated list; empty when the property is not set. */
    public List<String> list(String key) {
        return optional(key).map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .orElse(List.of());
    }
}
