package io.wasmiot.gateway.probe.internal;

import java.net.URI;
import java.net.URISyntaxException;

/** URLs of device endpoints from an address as the discovery side holds it. */
final class DeviceUrls {
    private DeviceUrls() {
    }

    /**
     * The address as it goes into a URL: IPv6 literals in brackets ({@code [::1]}). A zone id stays
     * as {@code [fe80::1%eth0]}: the JDK hands the text after {@code %} to the resolver as the
     * interface name, so the RFC 6874 form {@code %25eth0} would name an interface "25eth0".
     */
    static String hostForUrl(String address) {
        String host = address.strip();
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            return "[" + host + "]";
        }
        return host;
    }

    /**
     * {@code scheme://host:port/path}; refuses an address that is not a plain host (it could
     * otherwise smuggle a path, query or user info into the URL).
     *
     * @throws IllegalArgumentException when the address cannot be a URL host
     */
    static URI uri(String scheme, String address, int port, String path) {
        if (address == null || address.isBlank()) {
            throw new IllegalArgumentException("empty address");
        }
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (c <= ' ' || c == '/' || c == '?' || c == '#' || c == '@' || c == '\\' || c >= 0x7f) {
                throw new IllegalArgumentException("not a host: " + printable(address));
            }
        }
        String host = hostForUrl(address);
        URI uri;
        try {
            uri = new URI(scheme + "://" + host + ":" + port + path);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a host: " + printable(address), e);
        }
        if (uri.getHost() == null || uri.getPort() != port || !path.equals(uri.getRawPath())) {
            throw new IllegalArgumentException("not a host: " + printable(address));
        }
        return uri;
    }

    /** At most 80 characters, control characters replaced: device-supplied text going into a log or reason. */
    static String printable(String text) {
        String shortened = text.length() > 80 ? text.substring(0, 77) + "..." : text;
        StringBuilder out = new StringBuilder(shortened.length());
        for (int i = 0; i < shortened.length(); i++) {
            char c = shortened.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        return out.toString();
    }
}
