package io.wasmiot.agent.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * A device's HTTP side (docs/contract.md §8): description, health, register; 404 elsewhere, 405 for a wrong
 * method. Runs on the event loop and never blocks it: the {@code slow} fault schedules its answer
 * and stops reading the connection until it is written, so pipelined answers stay in order.
 */
@ChannelHandler.Sharable
final class DeviceHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final String DESCRIPTION_PATH = "/.well-known/wasmiot-device-description";
    static final String HEALTH_PATH = "/health";
    static final String REGISTER_PATH = "/register";
    static final String ORCHESTRATOR_SET_HEADER = "Custom-Orchestrator-Set";
    private static final Logger LOG = LoggerFactory.getLogger(DeviceHttpHandler.class);
    private static final byte[] SUCCESS = "{\"status\":\"success\"}".getBytes(StandardCharsets.UTF_8);

    private final Device device;
    private final DeviceFleet fleet;

    DeviceHttpHandler(Device device, DeviceFleet fleet) {
        this.device = device;
        this.fleet = fleet;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean decoded = request.decoderResult().isSuccess();
        boolean keepAlive = decoded && HttpUtil.isKeepAlive(request);
        HttpAnswer answer = decoded ? answer(request)
                : HttpAnswer.error(HttpResponseStatus.BAD_REQUEST, "malformed HTTP request");
        LOG.trace("{}: {} {} -> {}", device.name(), request.method(), request.uri(), answer.status().code());
        if (device.faultMode() == FaultMode.SLOW) {
            ctx.channel().config().setAutoRead(false);
            ctx.executor().schedule(() -> {
                write(ctx, answer, keepAlive);
                ctx.channel().config().setAutoRead(true);
            }, fleet.settings().slowDelay().toMillis(), TimeUnit.MILLISECONDS);
        } else {
            write(ctx, answer, keepAlive);
        }
    }

    private HttpAnswer answer(FullHttpRequest request) {
        String path = new QueryStringDecoder(request.uri()).path();
        HttpMethod method = request.method();
        switch (path) {
            case DESCRIPTION_PATH: {
                if (!HttpMethod.GET.equals(method)) {
                    return notAllowed(method, path, "GET");
                }
                HttpAnswer fault = faultAnswer(0);
                return fault != null ? fault : HttpAnswer.json(HttpResponseStatus.OK, device.description());
            }
            case HEALTH_PATH: {
                if (!HttpMethod.GET.equals(method)) {
                    return notAllowed(method, path, "GET");
                }
                long checkNumber = device.recordHealthCheck();
                HttpAnswer fault = faultAnswer(checkNumber);
                return (fault != null ? fault : health()).withOrchestratorSet(device.knowsGateway());
            }
            case REGISTER_PATH: {
                if (!HttpMethod.POST.equals(method)) {
                    return notAllowed(method, path, "POST");
                }
                HttpAnswer fault = faultAnswer(0);
                return fault != null ? fault : register(request);
            }
            default:
                return HttpAnswer.error(HttpResponseStatus.NOT_FOUND, "no resource at " + path);
        }
    }

    /** The answer the device's fault mode imposes, or {@code null} to answer normally. */
    private HttpAnswer faultAnswer(long healthCheckNumber) {
        switch (device.faultMode()) {
            case HTTP500:
                return HttpAnswer.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "simulated fault: http500");
            case MALFORMED:
                return HttpAnswer.json(HttpResponseStatus.OK, fleet.malformedBody());
            case OVERSIZED:
                return HttpAnswer.json(HttpResponseStatus.OK, fleet.oversizedBody());
            case FLAPPING:
                return healthCheckNumber > 0 && inFailingRun(healthCheckNumber)
                        ? HttpAnswer.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "simulated fault: flapping")
                        : null;
            default:
                return null;
        }
    }

    /** Health checks 1..N answer healthy, N+1..2N fail, 2N+1..3N healthy, and so on. */
    private boolean inFailingRun(long healthCheckNumber) {
        return ((healthCheckNumber - 1) / fleet.settings().flapEvery()) % 2 == 1;
    }

    private HttpAnswer health() {
        HostMetrics.Sample sample = fleet.hostMetrics().sample();
        try {
            byte[] body = fleet.mapper().writeValueAsBytes(fleet.mapper().createObjectNode()
                    .put("cpuUsage", round(sample.cpuUsage()))
                    .put("memoryUsage", round(sample.memoryUsage()))
                    .put("uptime", device.uptimeSeconds()));
            return HttpAnswer.json(HttpResponseStatus.OK, body);
        } catch (IOException e) {
            return HttpAnswer.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "cannot write health: " + e.getMessage());
        }
    }

    private HttpAnswer register(FullHttpRequest request) {
        JsonNode body;
        try (ByteBufInputStream in = new ByteBufInputStream(request.content())) {
            body = fleet.mapper().readTree(in);
        } catch (IOException e) {
            return HttpAnswer.error(HttpResponseStatus.BAD_REQUEST, "body is not JSON");
        }
        if (body == null || !body.isObject()) {
            return HttpAnswer.error(HttpResponseStatus.BAD_REQUEST, "body must be a JSON object {\"url\": \"http://...\"}");
        }
        JsonNode url = body.get("url");
        if (url == null || !url.isTextual()) {
            return HttpAnswer.error(HttpResponseStatus.BAD_REQUEST, "\"url\" is missing or not a string");
        }
        URI gateway;
        try {
            gateway = OrchestratorClient.parseBaseUrl(url.asText());
        } catch (IllegalArgumentException e) {
            return HttpAnswer.error(HttpResponseStatus.BAD_REQUEST, "\"url\": " + e.getMessage());
        }
        device.gatewayAnnounced(gateway);
        return HttpAnswer.json(HttpResponseStatus.OK, SUCCESS);
    }

    private static HttpAnswer notAllowed(HttpMethod method, String path, String allowed) {
        return HttpAnswer.error(HttpResponseStatus.METHOD_NOT_ALLOWED, method + " is not allowed on " + path)
                .withAllow(allowed);
    }

    private static double round(double fraction) {
        return Math.round(fraction * 10_000) / 10_000.0;
    }

    private static void write(ChannelHandlerContext ctx, HttpAnswer answer, boolean keepAlive) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, answer.status(),
                Unpooled.wrappedBuffer(answer.body()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpAnswer.JSON);
        HttpUtil.setContentLength(response, answer.body().length);
        if (answer.orchestratorSetHeader() != null) {
            response.headers().set(ORCHESTRATOR_SET_HEADER, answer.orchestratorSetHeader());
        }
        if (answer.allowHeader() != null) {
            response.headers().set(HttpHeaderNames.ALLOW, answer.allowHeader());
        }
        HttpUtil.setKeepAlive(response, keepAlive);
        ChannelFuture written = ctx.writeAndFlush(response);
        written.addListener(keepAlive ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent) {
            ctx.close();
        } else {
            super.userEventTriggered(ctx, event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("{}: closing a connection from {}: {}", device.name(), ctx.channel().remoteAddress(),
                cause.toString());
        ctx.close();
    }
}
