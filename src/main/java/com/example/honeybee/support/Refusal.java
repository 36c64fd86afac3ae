package com.example.honeybee.support;

/** A request refused for what it asks (not for a fault of ours), with the HTTP status an API answers. */
public interface Refusal extends PhiFreeMessage {

    int status();

    String getMessage();
}
