package io.wasmiot.bench;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.jmdns.JmDNS;
import javax.jmdns.ServiceEvent;
import javax.jmdns.ServiceListener;

/**
 * The floor's mDNS part: an independent jmdns browser (this process, 127.0.0.1) that records when
 * each {@code _webthing._tcp} service is first resolved with an address; the same announcements
 * the gateway receives.
 */
final class FloorBrowser implements AutoCloseable {
    static final String TYPE = "_webthing._tcp.local.";
    final Map<String, Long> resolvedNanos = new ConcurrentHashMap<>();
    private final JmDNS jmdns;

    FloorBrowser() throws Exception {
        jmdns = JmDNS.create(InetAddress.getByName("127.0.0.1"), "wasmiot-bench-browser");
        // the receive buffer the gateway's browser asks for (MdnsBrowser.RECEIVE_BUFFER_BYTES): the same jmdns
        ((javax.jmdns.impl.JmDNSImpl) jmdns).getSocket().setReceiveBufferSize(4 << 20);
        jmdns.addServiceListener(TYPE, new ServiceListener() {
            @Override
            public void serviceAdded(ServiceEvent e) {
                e.getDNS().requestServiceInfo(e.getType(), e.getName(), 1);
            }

            @Override
            public void serviceRemoved(ServiceEvent e) {
            }

            @Override
            public void serviceResolved(ServiceEvent e) {
                if (e.getInfo() != null && e.getInfo().getInet4Addresses().length > 0 && e.getInfo().getPort() > 0) {
                    resolvedNanos.putIfAbsent(e.getName(), System.nanoTime());
                }
            }
        });
    }

    @Override
    public void close() {
        Thread t = new Thread(() -> {
            try {
                jmdns.close();
            } catch (Exception e) {
                // ending anyway
            }
        }, "floor-browser-close");
        t.setDaemon(true);
        t.start();
        try {
            t.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
