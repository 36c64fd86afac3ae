package com.example.honeybee.orders;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads what a fill request asks to order, applying the partner's defaults ({@link OrderDefaults}) to what it
 * leaves out. The request is JSON (the ops API's approve body, or the body of direct:honeybee-request-fill as
 * JSON text, a Map or a JsonNode; empty = the defaults):
 * <pre>{"quantity": 2, "package_size": 45, "add_ons": [{"sku": "HB-INSERT", "quantity": 1, "package_size": 1}]}</pre>
 * {@code quantity} and {@code package_size} are positive whole numbers (at most {@value #MAX}); an add-on needs a
 * {@code sku} (letters, digits, {@code . _ -}, up to 100) and a {@code package_size} (Honeybee requires it for
 * add-ons). Leaving {@code add_ons} out gives the default add-ons; {@code "add_ons": []} gives none. An order of
 * add-ons alone takes no defaults: it lists its add-ons (at least one), and no quantity or package_size of its own.
 * The body may also carry Honeybee's address flags {@code accept_suggested} / {@code ignore_warnings}, which
 * {@code AddressFlags} reads. Anything else is refused with {@link FillRefusedException} 400 naming the field (never
 * quoting the value).
 */
public class OrderItemsReader {

    /** The largest quantity or package size accepted (a typo guard, far above any real pack). */
    public static final int MAX = 100_000;
    private static final Pattern SKU = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    /** The items' fields, and Honeybee's address flags (read by AddressFlags before this, from the same body). */
    private static final Set<String> FIELDS = Set.of("quantity", "package_size", "add_ons", "accept_suggested", "ignore_warnings");
    private static final Set<String> ADD_ON_FIELDS = Set.of("sku", "quantity", "package_size");

    private final ObjectMapper mapper;
    private final OrderDefaults defaults;

    public OrderItemsReader(ObjectMapper mapper, OrderDefaults defaults) {
        this.mapper = mapper;
        this.defaults = defaults;
    }

    /**
     * The items of a fill of a prescription ({@code prescription} true) or of add-ons alone (false: at least one
     * add-on is then required, and a quantity or package size of the prescription is refused).
     *
     * @throws FillRefusedException 400 naming the first field that does not fit
     */
    public OrderItems read(Object body, boolean prescription) {
        JsonNode request = json(body);
        for (Iterator<String> names = request.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw refused("unknown field '" + safeName(name) + "'; a fill request takes quantity, package_size and add_ons");
            }
        }
        Integer quantity = positive(request, "quantity", "quantity");
        Integer packageSize = positive(request, "package_size", "package_size");
        if (!prescription && (quantity != null || packageSize != null)) {
            throw refused("quantity and package_size are for the prescription item; an order of add-ons alone gives them per add-on");
        }
        List<OrderItems.AddOn> addOns;
        if (request.has("add_ons")) {
            JsonNode list = request.get("add_ons");
            if (!list.isArray()) {
                throw refused("add_ons must be a list of {\"sku\", \"quantity\", \"package_size\"}");
            }
            addOns = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                addOns.add(addOn(list.get(i), "add_ons[" + i + "]"));
            }
        } else {
            // the defaults go with a prescription; an order of add-ons alone lists its own
            addOns = prescription ? defaults.addOns() : List.of();
        }
        if (!prescription && addOns.isEmpty()) {
            throw refused("an order without a prescription needs at least one item in add_ons");
        }
        return new OrderItems(prescription, prescription && quantity == null ? defaults.quantity() : quantity,
                prescription && packageSize == null ? defaults.packageSize() : packageSize, addOns);
    }

    private OrderItems.AddOn addOn(JsonNode item, String where) {
        if (!item.isObject()) {
            throw refused(where + " must be an object {\"sku\", \"quantity\", \"package_size\"}");
        }
        for (Iterator<String> names = item.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!ADD_ON_FIELDS.contains(name)) {
                throw refused(where + " has an unknown field '" + safeName(name) + "'; an add-on takes sku, quantity and package_size");
            }
        }
        JsonNode sku = item.get("sku");
        if (sku == null || !sku.isTextual() || !SKU.matcher(sku.asText()).matches()) {
            throw refused(where + ".sku is required: a SKU agreed with Honeybee (letters, digits, . _ -, up to 100)");
        }
        Integer packageSize = positive(item, "package_size", where + ".package_size");
        if (packageSize == null) {
            throw refused(where + ".package_size is required for an add-on (units in one pack)");
        }
        return new OrderItems.AddOn(sku.asText(), positive(item, "quantity", where + ".quantity"), packageSize);
    }

    private static Integer positive(JsonNode node, String field, String name) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 1 || value.asInt() > MAX) {
            throw refused(name + " must be a positive whole number (1 to " + MAX + ")");
        }
        return value.asInt();
    }

    private JsonNode json(Object body) {
        try {
            JsonNode node;
            if (body == null) {
                return mapper.createObjectNode();
            } else if (body instanceof JsonNode given) {
                node = given;
            } else if (body instanceof Map<?, ?> map) {
                node = mapper.valueToTree(map);
            } else if (body instanceof String || body instanceof byte[]) {
                String text = body instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8) : (String) body;
                if (text.isBlank()) {
                    return mapper.createObjectNode();
                }
                node = mapper.readTree(text);
            } else {
                throw refused("the fill request body must be JSON (text, a Map or a JsonNode), not a " + body.getClass().getSimpleName());
            }
            if (node == null || node.isNull() || node.isMissingNode()) {
                return mapper.createObjectNode();
            }
            if (!node.isObject()) {
                throw refused("the fill request body must be a JSON object");
            }
            return node;
        } catch (FillRefusedException e) {
            throw e;
        } catch (Exception e) {
            throw refused("the fill request body is not valid JSON");
        }
    }

    /** A field name from outside, cut and stripped to printable ASCII for the message. */
    private static String safeName(String name) {
        String cleaned = name.replaceAll("[^A-Za-z0-9_.\\-]", "?");
        return cleaned.length() > 40 ? cleaned.substring(0, 40) + "..." : cleaned;
    }

    private static FillRefusedException refused(String message) {
        return new FillRefusedException(400, message);
    }
}
