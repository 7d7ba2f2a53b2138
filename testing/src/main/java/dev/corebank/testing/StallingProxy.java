package dev.corebank.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A TCP proxy that can stall: while stalled it accepts connections and bytes and passes nothing on in either
 * direction, closing nothing, as a server under {@code CLIENT PAUSE} or behind a half-dead route looks to its
 * clients; when resumed, what was held goes through. Lives until the JVM ends.
 */
public final class StallingProxy {

    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final Object gate = new Object();
    private boolean stalled;

    private StallingProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        try {
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        daemon("stalling-proxy-accept", this::accept);
    }

    /** A proxy on a free loopback port to {@code targetHost:targetPort}, passing bytes through. */
    public static StallingProxy to(String targetHost, int targetPort) {
        return new StallingProxy(targetHost, targetPort);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** From now on nothing passes, on open connections and new ones alike. */
    public void stall() {
        synchronized (gate) {
            stalled = true;
        }
    }

    /** What was held passes, and so does everything after it. */
    public void resume() {
        synchronized (gate) {
            stalled = false;
            gate.notifyAll();
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket target = new Socket(targetHost, targetPort);
                daemon("stalling-proxy-up", () -> pump(client, target));
                daemon("stalling-proxy-down", () -> pump(target, client));
            } catch (IOException e) {
                // the target refused: the client's connection is dropped, as the target would have
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                awaitOpen();
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // either side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void awaitOpen() throws InterruptedException {
        synchronized (gate) {
            while (stalled) {
                gate.wait();
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }
}
