package io.wasmiot.gateway.probe.internal;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

/** Short, human-readable reasons for failed requests: what an operator reads in a device's log. */
final class FailureReasons {
    private final ProbeSettings settings;

    FailureReasons(ProbeSettings settings) {
        this.settings = settings;
    }

    String of(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof ProberStoppedException) {
            return "prober stopped";
        }
        if (cause instanceof BodyTooLargeException tooLarge) {
            return "body over " + tooLarge.limit() + " bytes";
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return "connect timed out after " + settings.connectTimeoutMillis() + " ms";
        }
        if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
            return "read timed out after " + settings.readTimeoutMillis() + " ms";
        }
        Throwable unknownHost = find(cause, UnknownHostException.class);
        if (unknownHost != null || find(cause, UnresolvedAddressException.class) != null) {
            return "cannot resolve address" + detail(unknownHost);
        }
        if (cause instanceof ConnectException) {
            String message = firstMessage(cause);
            if (message == null || message.toLowerCase().contains("refused")) {
                return "connection refused";
            }
            return "cannot connect (" + DeviceUrls.printable(message) + ")";
        }
        Throwable tls = find(cause, SSLException.class);
        if (tls != null) {
            return "TLS error" + detail(tls);
        }
        if (cause instanceof CancellationException) {
            return "cancelled";
        }
        if (cause instanceof java.io.IOException) {
            return "I/O error" + detail(cause);
        }
        return cause.getClass().getSimpleName() + detail(cause);
    }

    /**
     * The device could not even be connected to: a connect timeout, no route, network down. A refusal
     * (the host answered with a reset) does not count: it shows the network path works.
     */
    static boolean isUnreachable(Throwable error) {
        Throwable cause = unwrap(error);
        if (cause instanceof HttpConnectTimeoutException) {
            return true;
        }
        if (cause instanceof ConnectException || find(cause, java.net.NoRouteToHostException.class) != null) {
            String message = firstMessage(cause);
            return message != null && !message.toLowerCase().contains("refused");
        }
        return false;
    }

    /** The request ran out of time: connect timeout, or no complete answer before the deadline. */
    static boolean isTimeout(Throwable error) {
        Throwable cause = unwrap(error);
        return cause instanceof HttpTimeoutException || cause instanceof TimeoutException;
    }

    static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    private static Throwable find(Throwable error, Class<? extends Throwable> type) {
        for (Throwable current = error; current != null; current = current.getCause()) {
            if (type.isInstance(current)) {
                return current;
            }
            if (current.getCause() == current) {
                break;
            }
        }
        return null;
    }

    private static String firstMessage(Throwable error) {
        for (Throwable current = error; current != null; current = current.getCause()) {
            if (current.getMessage() != null && !current.getMessage().isBlank()) {
                return current.getMessage();
            }
            if (current.getCause() == current) {
                break;
            }
        }
        return null;
    }

    private static String detail(Throwable error) {
        String message = error == null ? null : firstMessage(error);
        return message == null ? "" : " (" + DeviceUrls.printable(message) + ")";
    }
}
