package io.wasmiot.agent.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Tells when a closed listening port really refuses connections. The JDK closes a listening socket
 * registered with a selector only at that selector's next select, and Netty cancels the selection
 * key in a task after the close; until both happened the kernel still completes handshakes. So:
 * once the channel is unregistered (key cancelled), a task that falls due later runs only after
 * the event loop's next select, which is when the socket is closed.
 */
final class PortReleaseSignal extends ChannelInboundHandlerAdapter {
    private final CompletableFuture<Void> released = new CompletableFuture<>();

    @Override
    public void channelUnregistered(ChannelHandlerContext ctx) throws Exception {
        ctx.executor().schedule(() -> released.complete(null), 1, TimeUnit.MILLISECONDS);
        super.channelUnregistered(ctx);
    }

    /** Completes once the port refuses connections. */
    CompletableFuture<Void> released() {
        return released;
    }
}
