package com.example.honeybee.http;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;

/**
 * Vert.x's HTTP/1.x request decoder, refusing two kinds of request head that it would otherwise pass on:
 * <ul>
 * <li>both {@code Content-Length} and {@code Transfer-Encoding} (RFC 9112 section 6.1). Netty drops the
 * Content-Length and reads the body as chunked, and Vert.x keeps the connection open, so a proxy in front
 * that trusts the Content-Length would see a different request boundary than the bundle (request smuggling);</li>
 * <li>a request target with a malformed percent-escape ({@code /api/orders/%ZZ}): Vert.x's router fails on it
 * with an ERROR and a stack trace in the log, which any caller could repeat without a token.</li>
 * </ul>
 * Such a request is marked as undecodable, which hands it to the server's invalid-request handler
 * ({@link LimitedVertx}): a 400 naming the problem, then the connection is closed, so nothing that follows
 * on that connection is read as a request.
 */
final class StrictRequestDecoder extends VertxHttpRequestDecoder {

    StrictRequestDecoder(HttpServerOptions options) {
        super(options);
    }

    /** Called for every request once its headers are read, after Netty has set its (successful) decoder result. */
    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage message) {
        if (message instanceof HttpRequest request) {
            String problem = targetProblem(request.uri());
            if (problem != null) {
                message.setDecoderResult(DecoderResult.failure(new RefusedRequestException(problem)));
            }
        }
        return super.isContentAlwaysEmpty(message);
    }

    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        super.handleTransferEncodingChunkedWithContentLength(message);
        message.setDecoderResult(DecoderResult.failure(new RefusedRequestException(
                "the request has both Content-Length and Transfer-Encoding; send one of them (RFC 9112 section 6.1)")));
    }

    /** What is wrong with a request target's percent-escapes (RFC 3986 section 2.1: '%' and two hex digits), or null. */
    static String targetProblem(String target) {
        for (int i = target.indexOf('%'); i >= 0; i = target.indexOf('%', i + 1)) {
            if (i + 2 >= target.length() || Character.digit(target.charAt(i + 1), 16) < 0 || Character.digit(target.charAt(i + 2), 16) < 0) {
                return "the request target has a malformed percent-escape at position " + (i + 1)
                        + "; '%' must be followed by two hexadecimal digits";
            }
        }
        return null;
    }

    /** Why a request head was refused; its message is the answer's error. No stack trace: it is a client's mistake. */
    static final class RefusedRequestException extends Exception {

        RefusedRequestException(String message) {
            super(message, null, false, false);
        }
    }
}
