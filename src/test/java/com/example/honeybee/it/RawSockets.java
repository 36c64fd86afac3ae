package com.example.honeybee.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** What a raw client reads from the bundle's HTTP server, for the tests that speak HTTP/1.1 by hand. */
final class RawSockets {

    private RawSockets() {
    }

    /** Everything the server sends until it closes the connection; fails if it neither sends nor closes in the socket's timeout. */
    static String readUntilClosed(Socket socket) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                received.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server neither answered nor closed the connection in time; received: "
                    + received.toString(StandardCharsets.UTF_8), e);
        } catch (IOException reset) {
            // a reset is a close too
        }
        return received.toString(StandardCharsets.UTF_8);
    }
}
