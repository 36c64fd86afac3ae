package com.example.honeybee.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The embedded sandbox's Partner API over real HTTP, as a partner's client calls it (token first, then Bearer). */
final class SandboxHttp {

    /** One answer: status and JSON body. */
    record Answer(int status, JsonNode body) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper mapper = new ObjectMapper();
    private final int port;
    private String token;

    SandboxHttp(int port) {
        this.port = port;
    }

    Answer post(String path, String json) {
        return call("POST", path, json);
    }

    Answer get(String path) {
        return call("GET", path, null);
    }

    private Answer call(String method, String path, String json) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/sandbox/v1" + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .header("Authorization", "Bearer " + token()).build();
        return send(request);
    }

    private String token() {
        if (token == null) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/sandbox/oauth/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=test-client"
                            + "&client_secret=test-client-secret")).build();
            token = send(request).body().path("access_token").asText();
        }
        return token;
    }

    private Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body().isBlank() ? mapper.createObjectNode() : mapper.readTree(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
