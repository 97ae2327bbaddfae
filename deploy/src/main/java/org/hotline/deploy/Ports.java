package org.hotline.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free loopback ports, so that two runs on one machine never collide. */
public final class Ports {
    private Ports() {}

    public static int free() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    /** {@code n} distinct free ports, for servers started one after another (each held open until all are chosen). */
    public static int[] free(int n) {
        ServerSocket[] held = new ServerSocket[n];
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                held[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ports[i] = held[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("not " + n + " free loopback ports", e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    if (s != null) {
                        s.close();
                    }
                } catch (IOException e) {
                    // closing a probe socket: nothing to do
                }
            }
        }
    }
}
