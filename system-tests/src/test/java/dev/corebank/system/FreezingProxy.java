package dev.corebank.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy whose connections can be made to stop answering without closing, as they do when the server
 * behind them vanishes (a failover, a dropped route): bytes sent on a frozen connection are swallowed and
 * nothing comes back. Connections made after a freeze pass normally, as to a new primary.
 */
final class FreezingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final String targetHost;
    private final int targetPort;
    private final List<Link> links = new CopyOnWriteArrayList<>();

    FreezingProxy(String targetHost, int targetPort) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        Thread acceptor = new Thread(this::accept, "freezing-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Every connection open now stops answering, for good. */
    void freeze() {
        links.forEach(link -> link.frozen = true);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket target = new Socket(targetHost, targetPort);
                Link link = new Link(client, target);
                links.add(link);
                pump(link, client, target);
                pump(link, target, client);
            } catch (IOException e) {
                // closed, or the target refused: the client sees its connection fail
            }
        }
    }

    private static void pump(Link link, Socket from, Socket to) throws IOException {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        Thread pump = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    if (!link.frozen) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // one side went away
            }
            if (!link.frozen) {
                link.close();
            }
        }, "freezing-proxy-pump");
        pump.setDaemon(true);
        pump.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        links.forEach(Link::close);
    }

    private static final class Link {

        private final Socket client;
        private final Socket target;
        private volatile boolean frozen;

        Link(Socket client, Socket target) {
            this.client = client;
            this.target = target;
        }

        void close() {
            try {
                client.close();
                target.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }
}
