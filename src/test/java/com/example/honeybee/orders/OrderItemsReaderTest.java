package com.example.honeybee.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import com.example.honeybee.api.ErrorCodes;
import com.example.honeybee.patients.IdentityDocument;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Fill requests' items, the partner's defaults and the controlled-substance rules, without Camel (hand-written values). */
class OrderItemsReaderTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final OrderDefaults defaults = OrderDefaults.parse("", "30", "HB-INSERT:1:1, HB-ORGANIZER:2, HB-CARD", "");
    private final OrderItemsReader reader = new OrderItemsReader(mapper, defaults);

    @Test
    void defaultsAreParsedFromTheirSettingText() {
        assertThat(defaults).isEqualTo(new OrderDefaults(null, 30, List.of(new OrderItems.AddOn("HB-INSERT", 1, 1),
                new OrderItems.AddOn("HB-ORGANIZER", null, 2), new OrderItems.AddOn("HB-CARD", null, 1))));
        assertThat(OrderDefaults.parse("", "", "", "A, B").addOns())
                .as("the older add-on-skus").containsExactly(new OrderItems.AddOn("A", null, 1), new OrderItems.AddOn("B", null, 1));
        assertThatThrownBy(() -> OrderDefaults.parse("0", "", "", "")).hasMessageContaining("honeybee.order.default-quantity");
        assertThatThrownBy(() -> OrderDefaults.parse("", "", "HB-INSERT:x:1", "")).hasMessageContaining("honeybee.order.default-add-ons");
        assertThatThrownBy(() -> OrderDefaults.parse("", "", "bad sku", "")).hasMessageContaining("entry 1");
    }

    @Test
    void whatTheRequestLeavesOutComesFromTheDefaults() {
        OrderItems items = reader.read(null, true);
        assertThat(items).isEqualTo(new OrderItems(true, null, 30, defaults.addOns()));
        assertThat(reader.read("{\"quantity\": 2, \"add_ons\": []}", true)).isEqualTo(new OrderItems(true, 2, 30, List.of()));
        assertThat(reader.read(Map.of("package_size", 45), true).packageSize()).isEqualTo(45);
        assertThat(reader.read(mapper.createObjectNode(), true)).isEqualTo(items);
    }

    @Test
    void storedItemsReadBackAsWritten() {
        OrderItems items = new OrderItems(true, 2, 45, List.of(new OrderItems.AddOn("HB-INSERT", null, 1)));
        assertThat(OrderItems.fromJson(mapper, items.toJson(mapper))).isEqualTo(items);
        assertThat(items.toItems(mapper, 82L).toString())
                .isEqualTo("[{\"prescription_id\":82,\"quantity\":2,\"package_size\":45},{\"sku\":\"HB-INSERT\",\"package_size\":1}]");
    }

    @Test
    void everyFieldThatDoesNotFitIsNamed() {
        Map<String, String> refusals = Map.of(
                "{\"quantity\": 0}", "quantity must be a positive whole number",
                "{\"quantity\": 100001}", "quantity must be a positive whole number",
                "{\"quantity\": 2147483648}", "quantity must be a positive whole number",
                "{\"package_size\": true}", "package_size must be a positive whole number",
                "{\"add_ons\": {}}", "add_ons must be a list",
                "{\"add_ons\": [1]}", "add_ons[0] must be an object",
                "{\"add_ons\": [{\"sku\": \"A B\", \"package_size\": 1}]}", "add_ons[0].sku is required",
                "{\"add_ons\": [{\"sku\": \"A\", \"package_size\": 1, \"size\": 2}]}", "add_ons[0] has an unknown field 'size'",
                "[1]", "must be a JSON object",
                "{\"quantity\":", "not valid JSON");
        refusals.forEach((body, message) -> assertThatThrownBy(() -> reader.read(body, true)).as(body)
                .isInstanceOfSatisfying(FillRefusedException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining(message));
    }

    @Test
    void anOrderOfAddOnsAloneListsItsOwnAddOns() {
        assertThat(reader.read("{\"add_ons\": [{\"sku\": \"HB-INSERT\", \"package_size\": 1}]}", false))
                .isEqualTo(new OrderItems(false, null, null, List.of(new OrderItems.AddOn("HB-INSERT", null, 1))));
        assertThatThrownBy(() -> reader.read(null, false)).hasMessageContaining("needs at least one item in add_ons");
        assertThatThrownBy(() -> reader.read("{\"quantity\": 1, \"add_ons\": [{\"sku\": \"A\", \"package_size\": 1}]}", false))
                .hasMessageContaining("quantity and package_size are for the prescription item");
    }

    @Test
    void controlledSchedulesAndDocuments() {
        assertThat(List.of("2", "3", "4", "5", "CII", "iv", " 4 ").stream().map(ControlledSubstances::schedule))
                .containsExactly(2, 3, 4, 5, 2, 4, 4);
        assertThat(ControlledSubstances.schedule("0")).isZero();
        assertThat(ControlledSubstances.schedule("x")).isNull();
        assertThat(new IdentityDocument("dl", " D1 ", "us", "tx").problem()).isNull();
        assertThat(new IdentityDocument("dl", " D1 ", "us", "tx").normalized()).isEqualTo(new IdentityDocument("DL", "D1", "US", "TX"));
        assertThat(new IdentityDocument("XX", "D1", "US", "TX").problem()).contains("type must be one of DL, PP, MI, PR, SI, TI, OT");
        assertThat(new IdentityDocument("PP", " ", "US", "TX").problem()).contains("no number");
        assertThat(new IdentityDocument("PP", "D1", "USA", "TX").problem()).contains("issuing country must be 2 letters");
        assertThat(new IdentityDocument("PP", "D1", "US", "Texas").problem()).contains("issuing state must be 2 letters").doesNotContain("Texas");
        assertThatThrownBy(() -> ControlledSubstances.fieldNames(List.of("type", "number", "type", "state")))
                .hasMessageContaining("honeybee.order.identity-document-fields");
    }

    @Test
    void honeybeesIdentityCodesHaveTheirMeaning() {
        assertThat(ErrorCodes.describe("42208")).contains("identity documents");
        assertThat(ErrorCodes.describe("42216")).contains("DL, PP, MI, PR, SI, TI, OT");
        assertThat(ErrorCodes.describe("42217")).contains("issuing country");
        assertThat(ErrorCodes.describe("42218")).contains("issuing state");
    }
}
