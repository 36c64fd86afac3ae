package com.example.honeybee.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Puts a raw JSON literal at a path of a JSON document ({@code medication_requests[0].drug_name}),
 * byte for byte as written: a number like {@code 1e400}, a string with escapes like {@code "a\u0000b"}
 * or a lone {@code "\ud800"}, which a JSON library would refuse to write. The document is rewritten
 * on one line; only the literal is spliced in as text.
 */
final class JsonMutation {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String MARK = "@@json-mutation@@";

    private JsonMutation() {
    }

    /** The document with {@code literal} at {@code path}; a null literal removes the member. */
    static byte[] set(byte[] json, String path, String literal) {
        try {
            JsonNode root = MAPPER.readTree(json);
            List<String> steps = steps(path);
            JsonNode parent = root;
            for (String step : steps.subList(0, steps.size() - 1)) {
                parent = step.startsWith("[") ? parent.get(Integer.parseInt(step.substring(1, step.length() - 1))) : parent.get(step);
                if (parent == null || !parent.isContainerNode()) {
                    throw new IllegalArgumentException("no " + path + " in the document (stops at " + step + ")");
                }
            }
            String last = steps.get(steps.size() - 1);
            if (last.startsWith("[")) {
                ((ArrayNode) parent).set(Integer.parseInt(last.substring(1, last.length() - 1)), MAPPER.getNodeFactory().textNode(MARK));
            } else if (literal == null) {
                ((ObjectNode) parent).remove(last);
            } else {
                ((ObjectNode) parent).put(last, MARK);
            }
            String text = MAPPER.writeValueAsString(root);
            return (literal == null ? text : text.replace("\"" + MARK + "\"", literal)).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same document with several string values replaced (ids made unique per input). */
    static byte[] replaceAll(byte[] json, Map<String, String> replacements) {
        String text = new String(json, StandardCharsets.UTF_8);
        for (Map.Entry<String, String> entry : replacements.entrySet()) {
            text = text.replace(entry.getKey(), entry.getValue());
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Every leaf path of the document (arrays by their first element), for walking fields no catalogue names. */
    static List<String> leafPaths(byte[] json) {
        try {
            List<String> paths = new ArrayList<>();
            leaves(MAPPER.readTree(json), "", paths);
            return paths;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON string literal of a Java string, escaping only what JSON requires (so lone surrogates pass as \\uXXXX). */
    static String string(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static void leaves(JsonNode node, String path, List<String> into) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> member = it.next();
                leaves(member.getValue(), path.isEmpty() ? member.getKey() : path + "." + member.getKey(), into);
            }
        } else if (node.isArray() && !node.isEmpty()) {
            leaves(node.get(0), path + "[0]", into);
        } else {
            into.add(path);
        }
    }

    private static List<String> steps(String path) {
        List<String> steps = new ArrayList<>();
        for (String part : path.split("\\.")) {
            int bracket = part.indexOf('[');
            if (bracket < 0) {
                steps.add(part);
                continue;
            }
            if (bracket > 0) {
                steps.add(part.substring(0, bracket));
            }
            for (String index : part.substring(bracket).split("(?=\\[)")) {
                steps.add(index);
            }
        }
        return steps;
    }
}
