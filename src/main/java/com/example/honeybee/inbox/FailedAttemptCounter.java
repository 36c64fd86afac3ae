package com.example.honeybee.inbox;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Counts the failed attempts of an exchange (the dead-letter channel's onExceptionOccurred hook), so a
 * dead letter can say how often it was tried: Camel drops its redelivery headers before the dead letter.
 */
public class FailedAttemptCounter implements Processor {

    public static final String PROPERTY = "HoneybeeFailedAttempts";

    @Override
    public void process(Exchange exchange) {
        exchange.setProperty(PROPERTY, exchange.getProperty(PROPERTY, 0, Integer.class) + 1);
    }
}
