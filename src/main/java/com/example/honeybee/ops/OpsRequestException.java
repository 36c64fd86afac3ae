package com.example.honeybee.ops;

import com.example.honeybee.support.Refusal;

/** An ops API request that is malformed, unauthorized or names something that does not exist. */
public class OpsRequestException extends RuntimeException implements Refusal {

    private final int status;

    public OpsRequestException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    @Override
    public int status() {
        return status;
    }
}
