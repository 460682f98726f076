package io.wasmiot.agent.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;

/** One listening port of a device on the fleet's event loops: bound, and closed so that it really refuses. */
final class DevicePort {
    private static final Logger LOG = LoggerFactory.getLogger(DevicePort.class);
    private static final long BIND_TIMEOUT_MILLIS = 10_000;
    private static final long CLOSE_TIMEOUT_MILLIS = 5_000;

    private final Channel channel;
    private final int port;
    private final PortReleaseSignal released;

    private DevicePort(Channel channel, int port, PortReleaseSignal released) {
        this.channel = channel;
        this.port = port;
        this.released = released;
    }

    /** Listens on {@code wantedPort} (0: the system picks) for {@code device}. */
    static DevicePort bind(DeviceFleet fleet, Device device, int wantedPort) throws IOException {
        PortReleaseSignal released = new PortReleaseSignal();
        ChannelFuture bound = fleet.serverBootstrap(device, released).bind(fleet.listenAddress(wantedPort));
        if (!bound.awaitUninterruptibly(BIND_TIMEOUT_MILLIS)) {
            bound.cancel(false);
            throw new IOException(device.name() + ": binding port " + wantedPort + " timed out");
        }
        if (!bound.isSuccess()) {
            throw new IOException(device.name() + ": cannot listen on port " + wantedPort + ": "
                    + bound.cause().getMessage(), bound.cause());
        }
        fleet.track(bound.channel());
        return new DevicePort(bound.channel(), ((InetSocketAddress) bound.channel().localAddress()).getPort(), released);
    }

    int port() {
        return port;
    }

    /**
     * Closes the port and every connection accepted on it (a crashed server's peers see resets);
     * returns once the port refuses connections ({@link PortReleaseSignal}).
     */
    void close(DeviceFleet fleet, String deviceName) {
        channel.close().awaitUninterruptibly(CLOSE_TIMEOUT_MILLIS);
        try {
            released.released().get(CLOSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("{}: port {} not confirmed closed within {} ms", deviceName, port, CLOSE_TIMEOUT_MILLIS);
        }
        fleet.closeConnectionsOf(channel, CLOSE_TIMEOUT_MILLIS);
    }
}
