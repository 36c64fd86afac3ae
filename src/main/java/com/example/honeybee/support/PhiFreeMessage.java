package com.example.honeybee.support;

/**
 * Marks an exception whose message is built from ids and field names only, never from payload
 * values, so it may be logged and stored as a dead-letter reason.
 */
public interface PhiFreeMessage {
}
