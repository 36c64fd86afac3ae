package com.example.honeybee.orders;

import com.example.honeybee.support.Refusal;

/** A fill that must not be requested, with the reason and the HTTP status an API would answer. */
public class FillRefusedException extends RuntimeException implements Refusal {

    private final int status;

    public FillRefusedException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
