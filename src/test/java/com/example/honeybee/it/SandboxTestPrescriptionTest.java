package com.example.honeybee.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sandbox's Test Prescription endpoint over HTTP: a body that is not one JSON object (a form, nothing,
 * text, an array, two values) is a 400 with a message, never an empty 500, and no header of the request comes
 * back in the answer, whatever the outcome.
 */
class SandboxTestPrescriptionTest {

    private static final Map<String, String> PLANTED = Map.of("X-Planted", "planted-value", "Retry-After", "4242",
            "Cache-Control", "planted-cache", "X-Request-Id", "planted-request-id");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private RunningBundle bundle;

    @BeforeEach
    void start() {
        bundle = RunningBundle.start(Map.of());
    }

    @AfterEach
    void stop() {
        bundle.close();
    }

    private HttpResponse<String> post(String contentType, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bundle.port() + "/sandbox/test_prescriptions"))
                .POST(body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        PLANTED.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aBodyThatIsNotOneJsonObjectIsA400WithAMessage() throws Exception {
        String[][] bodies = {
            {"application/x-www-form-urlencoded", "first_name=Ada&last_name=Sample"},
            {"application/json", null},
            {"application/json", ""},
            {null, null},
            {"text/plain", "hello"},
            {"application/json", "[1, 2]"},
            {"application/json", "{\"first_name\":\"Ada\"} {\"first_name\":\"Bob\"}"},
            {"application/json", "{not json"},
        };
        for (String[] body : bodies) {
            HttpResponse<String> answer = post(body[0], body[1]);
            assertThat(answer.statusCode()).as("%s %s", body[0], body[1]).isEqualTo(400);
            assertThat(answer.body()).as("%s %s", body[0], body[1]).contains("the body must be one JSON object");
            assertNoRequestHeaderEchoed(answer);
        }
    }

    @Test
    void aJsonObjectCreatesThePrescriptionAndTheAnswerCarriesNoRequestHeader() throws Exception {
        HttpResponse<String> answer = post("application/json", "{\"first_name\":\"Ada\",\"last_name\":\"Sample\",\"refills\":1}");

        assertThat(answer.statusCode()).isEqualTo(201);
        assertThat(answer.body()).contains("\"prescription_id\":300001");
        assertNoRequestHeaderEchoed(answer);
    }

    private static void assertNoRequestHeaderEchoed(HttpResponse<String> answer) {
        assertThat(answer.headers().map().values()).flatExtracting(values -> values)
                .doesNotContain("planted-value", "4242", "planted-cache", "planted-request-id");
        assertThat(answer.headers().firstValue("X-Planted")).isEmpty();
        assertThat(answer.headers().firstValue("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).startsWith("sbx-"));
    }
}
