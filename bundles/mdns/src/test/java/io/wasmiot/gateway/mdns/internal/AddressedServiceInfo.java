package io.wasmiot.gateway.mdns.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;

import javax.jmdns.ServiceInfo;

/**
 * A resolved service as jmdns reports it, with A and AAAA records. {@link ServiceInfo#create} cannot
 * carry addresses (jmdns adds them only while resolving, through package-private methods), so this
 * public-API subclass of {@link ServiceInfo} delegates everything to a created info and answers the
 * address getters itself.
 */
final class AddressedServiceInfo extends ServiceInfo {
    private final ServiceInfo delegate;
    private final List<Inet4Address> ipv4;
    private final List<Inet6Address> ipv6;

    AddressedServiceInfo(ServiceInfo delegate, List<? extends InetAddress> addresses) {
        this.delegate = delegate;
        this.ipv4 = new ArrayList<>();
        this.ipv6 = new ArrayList<>();
        for (InetAddress address : addresses) {
            if (address instanceof Inet4Address v4) {
                ipv4.add(v4);
            } else {
                ipv6.add((Inet6Address) address);
            }
        }
    }

    static AddressedServiceInfo of(String name, int port, Map<String, ?> txt, InetAddress... addresses) {
        return new AddressedServiceInfo(ServiceInfo.create("_webthing._tcp.local.", name, port, 0, 0, txt),
                List.of(addresses));
    }

    @Override
    public Inet4Address[] getInet4Addresses() {
        return ipv4.toArray(new Inet4Address[0]);
    }

    @Override
    public Inet6Address[] getInet6Addresses() {
        return ipv6.toArray(new Inet6Address[0]);
    }

    @Override
    public InetAddress[] getInetAddresses() {
        List<InetAddress> all = new ArrayList<>(ipv4);
        all.addAll(ipv6);
        return all.toArray(new InetAddress[0]);
    }

    @Override
    public Inet4Address getInet4Address() {
        return ipv4.isEmpty() ? null : ipv4.get(0);
    }

    @Override
    public Inet6Address getInet6Address() {
        return ipv6.isEmpty() ? null : ipv6.get(0);
    }

    @Override
    @Deprecated
    public InetAddress getAddress() {
        return getInetAddress();
    }

    @Override
    @Deprecated
    public InetAddress getInetAddress() {
        InetAddress[] all = getInetAddresses();
        return all.length == 0 ? null : all[0];
    }

    @Override
    @Deprecated
    public String getHostAddress() {
        InetAddress first = getInetAddress();
        return first == null ? "" : first.getHostAddress();
    }

    @Override
    public String[] getHostAddresses() {
        InetAddress[] all = getInetAddresses();
        String[] text = new String[all.length];
        for (int i = 0; i < all.length; i++) {
            text[i] = all[i].getHostAddress();
        }
        return text;
    }

    @Override
    public boolean hasSameAddresses(ServiceInfo other) {
        return other != null && java.util.Arrays.equals(getInetAddresses(), other.getInetAddresses());
    }

    @Override
    public boolean hasData() {
        return true;
    }

    // ---- everything else as the created info has it --------------------------------------------

    @Override
    public String getType() {
        return delegate.getType();
    }

    @Override
    public String getTypeWithSubtype() {
        return delegate.getTypeWithSubtype();
    }

    @Override
    public String getName() {
        return delegate.getName();
    }

    @Override
    public String getKey() {
        return delegate.getKey();
    }

    @Override
    public String getQualifiedName() {
        return delegate.getQualifiedName();
    }

    @Override
    public String getServer() {
        return delegate.getServer();
    }

    @Override
    public boolean hasServer() {
        return delegate.hasServer();
    }

    @Override
    public int getPort() {
        return delegate.getPort();
    }

    @Override
    public int getPriority() {
        return delegate.getPriority();
    }

    @Override
    public int getWeight() {
        return delegate.getWeight();
    }

    @Override
    public byte[] getTextBytes() {
        return delegate.getTextBytes();
    }

    @Override
    @Deprecated
    public String getTextString() {
        return delegate.getTextString();
    }

    @Override
    @Deprecated
    public String getURL() {
        return delegate.getURL();
    }

    @Override
    public String[] getURLs() {
        return delegate.getURLs();
    }

    @Override
    @Deprecated
    public String getURL(String protocol) {
        return delegate.getURL(protocol);
    }

    @Override
    public String[] getURLs(String protocol) {
        return delegate.getURLs(protocol);
    }

    @Override
    public byte[] getPropertyBytes(String name) {
        return delegate.getPropertyBytes(name);
    }

    @Override
    public String getPropertyString(String name) {
        return delegate.getPropertyString(name);
    }

    @Override
    public Enumeration<String> getPropertyNames() {
        return delegate.getPropertyNames();
    }

    @Override
    public String getNiceTextString() {
        return delegate.getNiceTextString();
    }

    @Override
    public void setText(byte[] text) {
        delegate.setText(text);
    }

    @Override
    public void setText(Map<String, ?> props) {
        delegate.setText(props);
    }

    @Override
    public boolean isPersistent() {
        return delegate.isPersistent();
    }

    @Override
    public String getDomain() {
        return delegate.getDomain();
    }

    @Override
    public String getProtocol() {
        return delegate.getProtocol();
    }

    @Override
    public String getApplication() {
        return delegate.getApplication();
    }

    @Override
    public String getSubtype() {
        return delegate.getSubtype();
    }

    @Override
    public Map<Fields, String> getQualifiedNameMap() {
        return delegate.getQualifiedNameMap();
    }
}
