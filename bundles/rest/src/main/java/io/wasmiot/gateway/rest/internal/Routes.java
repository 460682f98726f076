package io.wasmiot.gateway.rest.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A route table: method and path pattern to handler, so that a servlet's resources read at a
 * glance. A pattern is {@code /}-separated segments, each literal or a named parameter
 * ({@code {device}}, one non-empty segment). A path no route matches is {@link NotFound}; a path
 * that matches only under other methods is {@link NotAllowed}, with the methods it takes.
 */
final class Routes {
    @FunctionalInterface
    interface Handler {
        void handle(HttpServletRequest request, HttpServletResponse response, Map<String, String> parameters)
                throws IOException;
    }

    private record Route(String method, List<String> segments, Handler handler) {
    }

    sealed interface Match permits Found, NotAllowed, NotFound {
    }

    record Found(Handler handler, Map<String, String> parameters) implements Match {
    }

    record NotAllowed(Set<String> allowed) implements Match {
    }

    record NotFound() implements Match {
    }

    private final List<Route> routes = new ArrayList<>();

    Routes add(String method, String pattern, Handler handler) {
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("a pattern starts with '/': " + pattern);
        }
        routes.add(new Route(method, segments(pattern), handler));
        return this;
    }

    Routes get(String pattern, Handler handler) {
        return add("GET", pattern, handler);
    }

    Routes post(String pattern, Handler handler) {
        return add("POST", pattern, handler);
    }

    Routes delete(String pattern, Handler handler) {
        return add("DELETE", pattern, handler);
    }

    /** The route for {@code method} and {@code path} (decoded, without a trailing {@code /}). */
    Match match(String method, String path) {
        List<String> segments = segments(path);
        Set<String> allowed = new TreeSet<>();
        for (Route route : routes) {
            Map<String, String> parameters = parameters(route.segments(), segments);
            if (parameters == null) {
                continue;
            }
            if (route.method().equals(method)) {
                return new Found(route.handler(), parameters);
            }
            allowed.add(route.method());
        }
        return allowed.isEmpty() ? new NotFound() : new NotAllowed(allowed);
    }

    private static List<String> segments(String path) {
        return List.of(path.substring(1).split("/", -1));
    }

    /** The pattern's parameters in {@code path}, or {@code null} when the path does not match it. */
    private static Map<String, String> parameters(List<String> pattern, List<String> path) {
        if (pattern.size() != path.size()) {
            return null;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < pattern.size(); i++) {
            String expected = pattern.get(i);
            String actual = path.get(i);
            if (expected.startsWith("{") && expected.endsWith("}")) {
                if (actual.isEmpty()) {
                    return null;
                }
                parameters.put(expected.substring(1, expected.length() - 1), actual);
            } else if (!expected.equals(actual)) {
                return null;
            }
        }
        return parameters;
    }
}
