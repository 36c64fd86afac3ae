package com.example.honeybee.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Honeybee's documented error bodies (reference: "More of the Partner API"), copied verbatim as constants. */
class ErrorBodyTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The 409 body exactly as Honeybee documents it. */
    private static final String CONFLICT = "{\"error\": {\"error_code\": 409, \"message\": \"Your request is conflicting"
            + " with another recent request. Please make sure this request is not a duplicate and resend.\"}}";
    /** The 400/422 body exactly as Honeybee documents it. */
    private static final String ADDRESS_NOT_FOUND = "{\"errors\": [{\"code\": 42230, \"message\": \"Invalid Address Not Found\","
            + " \"error_detail\": [{\"field\": \"address.not_found\", \"message\": \"address could not be found, please check entered"
            + " address\"}]}]}";

    @Test
    void readsTheDocumentedConflictBody() {
        ErrorBody error = ErrorBody.parse(MAPPER, CONFLICT);

        assertThat(error.code()).isEqualTo("409");
        assertThat(error.fields()).isEmpty();
    }

    @Test
    void keepsTheCodeAndTheFieldNamesOfTheDocumentedErrorBodyAndNothingElse() {
        ErrorBody error = ErrorBody.parse(MAPPER, ADDRESS_NOT_FOUND);

        assertThat(error.code()).isEqualTo("42230");
        assertThat(error.fields()).containsExactly("address.not_found");
        assertThat(error.toString()).doesNotContain("could not be found").doesNotContain("Invalid Address");
    }

    @Test
    void fieldsOfEveryErrorAreKeptOnceAndAnythingThatIsNotAFieldNameIsLeftOut() {
        String body = "{\"errors\": ["
                + "{\"code\": 42226, \"error_detail\": [{\"field\": \"address.state\", \"message\": \"ZZ is not a state\"}]},"
                + "{\"code\": 42227, \"error_detail\": [{\"field\": \"address.zip\"}, {\"field\": \"address.state\"},"
                + " {\"field\": \"Jane Doe lives at 1 Main St\"}, {\"field\": 42}]}]}";

        ErrorBody error = ErrorBody.parse(MAPPER, body);

        assertThat(error.code()).isEqualTo("42226");
        assertThat(error.fields()).containsExactly("address.state", "address.zip");
    }

    @Test
    void aBodyThatIsNotJsonOrHasNoErrorGivesNothing() {
        assertThat(ErrorBody.parse(MAPPER, "<html>bad gateway</html>")).isEqualTo(new ErrorBody(null, java.util.List.of()));
        assertThat(ErrorBody.parse(MAPPER, "")).isEqualTo(new ErrorBody(null, java.util.List.of()));
        assertThat(ErrorBody.parse(MAPPER, "{\"error\": \"invalid_client\"}").code()).isNull();
        assertThat(ErrorBody.parse(MAPPER, "{\"errors\": [{\"code\": \"patient Jane Doe has no email on file\"}]}").code())
                .as("a code that is not a short token is not kept").isNull();
    }
}
