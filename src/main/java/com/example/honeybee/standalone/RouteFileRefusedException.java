package com.example.honeybee.standalone;

/** A saved route file that a live reload does not apply, with what is wrong with it; the running routes stay. */
public class RouteFileRefusedException extends RuntimeException {

    public RouteFileRefusedException(String message) {
        super(message);
    }
}
