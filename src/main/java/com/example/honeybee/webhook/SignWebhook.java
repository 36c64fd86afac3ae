package com.example.honeybee.webhook;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Prints the X-Honeybee-Signature Honeybee would send for a body file, for trying the endpoint with curl:
 * {@code java -cp target/honeybee-partner-routes.jar com.example.honeybee.webhook.SignWebhook SECRET URL FILE}.
 */
public final class SignWebhook {

    private SignWebhook() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: SignWebhook <signing-secret> <public-url> <body-file>");
            System.exit(2);
        }
        System.out.println(SignatureVerifier.sign(args[0], "POST", args[1], Files.readAllBytes(Path.of(args[2]))));
    }
}
