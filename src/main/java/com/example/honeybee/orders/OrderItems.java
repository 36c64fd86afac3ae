package com.example.honeybee.orders;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What one fill orders, in Honeybee's terms (Partner API reference, "Items"): the prescription item
 * {@code {"prescription_id": N, "quantity"?: N, "package_size"?: N}} unless the order is of add-ons alone,
 * then the add-on items {@code {"sku": "...", "quantity"?: N, "package_size": N}}. {@code quantity} is how many
 * separate packs, {@code package_size} the units in one pack; both are positive whole numbers, null = not sent.
 * Fixed when the fill is requested (defaults applied) and stored with it, as the JSON of {@link #toJson}, so
 * every attempt posts the same items.
 *
 * @param prescription whether the order holds the fill's prescription (false: add-on items only)
 * @param quantity     packs of the prescription, or null (Honeybee's default)
 * @param packageSize  units per pack of the prescription (e.g. 45 for half of a 90-tablet prescription), or null
 * @param addOns       add-on SKU items, in order, after the prescription item
 */
public record OrderItems(boolean prescription, Integer quantity, Integer packageSize, List<AddOn> addOns) {

    /**
     * One add-on item: a SKU agreed with Honeybee in advance.
     *
     * @param sku         the SKU, as Honeybee's product catalogue lists it
     * @param quantity    packs, or null (Honeybee's default)
     * @param packageSize units per pack (required by Honeybee for add-ons)
     */
    public record AddOn(String sku, Integer quantity, Integer packageSize) {
    }

    public OrderItems {
        addOns = List.copyOf(addOns);
    }

    /** The order body's {@code items}: prescription item first (when ordered), then the add-ons. */
    public ArrayNode toItems(ObjectMapper mapper, Long prescriptionId) {
        ArrayNode items = mapper.createArrayNode();
        if (prescription && prescriptionId != null) {
            ObjectNode rx = items.addObject().put("prescription_id", prescriptionId);
            putIfSet(rx, "quantity", quantity);
            putIfSet(rx, "package_size", packageSize);
        }
        for (AddOn addOn : addOns) {
            ObjectNode item = items.addObject().put("sku", addOn.sku());
            putIfSet(item, "quantity", addOn.quantity());
            putIfSet(item, "package_size", addOn.packageSize());
        }
        return items;
    }

    /** The stored form: {@code {"prescription": true, "quantity": .., "package_size": .., "add_ons": [{"sku", "quantity", "package_size"}]}}. */
    public String toJson(ObjectMapper mapper) {
        ObjectNode json = mapper.createObjectNode().put("prescription", prescription);
        putIfSet(json, "quantity", quantity);
        putIfSet(json, "package_size", packageSize);
        ArrayNode list = json.putArray("add_ons");
        for (AddOn addOn : addOns) {
            ObjectNode item = list.addObject().put("sku", addOn.sku());
            putIfSet(item, "quantity", addOn.quantity());
            putIfSet(item, "package_size", addOn.packageSize());
        }
        return json.toString();
    }

    /** Reads the stored form back (written by {@link #toJson}, so trusted); null text gives null. */
    public static OrderItems fromJson(ObjectMapper mapper, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            JsonNode json = mapper.readTree(text);
            List<AddOn> addOns = new ArrayList<>();
            for (JsonNode item : json.path("add_ons")) {
                addOns.add(new AddOn(item.path("sku").asText(), intOrNull(item, "quantity"), intOrNull(item, "package_size")));
            }
            return new OrderItems(json.path("prescription").asBoolean(true), intOrNull(json, "quantity"), intOrNull(json, "package_size"),
                    addOns);
        } catch (Exception e) {
            throw new IllegalStateException("a fill's stored order_items is not the JSON this bundle wrote", e);
        }
    }

    private static Integer intOrNull(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asInt() : null;
    }

    private static void putIfSet(ObjectNode node, String field, Integer value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
