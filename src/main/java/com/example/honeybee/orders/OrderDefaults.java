package com.example.honeybee.orders;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The partner's defaults for what a fill orders when its request leaves it out (HoneybeeSettings reads them):
 * {@code honeybee.order.default-quantity} and {@code honeybee.order.default-package-size} for the prescription
 * item (empty: not sent, Honeybee decides), and {@code honeybee.order.default-add-ons}, a comma-separated list
 * of add-ons, each {@code SKU}, {@code SKU:package_size} or {@code SKU:quantity:package_size}
 * ({@code HB-INSERT:1:1, HB-ORGANIZER:2}); a bare SKU has package_size 1 and no quantity. The older
 * {@code honeybee.order.add-on-skus} (bare SKUs) is read the same way when default-add-ons is empty.
 *
 * @param quantity    packs of the prescription, or null
 * @param packageSize units per pack of the prescription, or null
 * @param addOns      add-ons put in every order whose request does not list its own
 */
public record OrderDefaults(Integer quantity, Integer packageSize, List<OrderItems.AddOn> addOns) {

    private static final Pattern SKU = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    public OrderDefaults {
        addOns = List.copyOf(addOns);
    }

    /** No defaults: the prescription alone. */
    public static OrderDefaults none() {
        return new OrderDefaults(null, null, List.of());
    }

    /**
     * Parses the settings' texts.
     *
     * @throws IllegalStateException naming the property and what it takes
     */
    public static OrderDefaults parse(String quantity, String packageSize, String addOns, String legacyAddOnSkus) {
        String list = addOns == null || addOns.isBlank() ? legacyAddOnSkus : addOns;
        String listKey = addOns == null || addOns.isBlank() ? "honeybee.order.add-on-skus" : "honeybee.order.default-add-ons";
        List<OrderItems.AddOn> parsed = new ArrayList<>();
        if (list != null) {
            for (String entry : list.split(",")) {
                if (entry.isBlank()) {
                    continue;
                }
                String[] parts = entry.trim().split(":", -1);
                if (parts.length > 3 || !SKU.matcher(parts[0]).matches()) {
                    throw new IllegalStateException(listKey + " must be a comma-separated list of SKU, SKU:package_size or"
                            + " SKU:quantity:package_size (SKU: letters, digits, . _ -); entry " + (parsed.size() + 1) + " is not");
                }
                Integer qty = parts.length == 3 ? number(listKey, parts[1]) : null;
                Integer size = parts.length == 1 ? Integer.valueOf(1) : number(listKey, parts[parts.length - 1]);
                parsed.add(new OrderItems.AddOn(parts[0], qty, size));
            }
        }
        return new OrderDefaults(optional("honeybee.order.default-quantity", quantity),
                optional("honeybee.order.default-package-size", packageSize), parsed);
    }

    private static Integer optional(String key, String text) {
        return text == null || text.isBlank() ? null : number(key, text);
    }

    private static Integer number(String key, String text) {
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= 1 && value <= OrderItemsReader.MAX) {
                return value;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalStateException(key + " takes positive whole numbers (1 to " + OrderItemsReader.MAX + "); was '" + text.trim() + "'");
    }
}
