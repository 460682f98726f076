package io.wasmiot.agent.internal.mdns;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.util.List;

import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Type;

/**
 * One service instance's records as a python-zeroconf supervisor sends them: PTR
 * {@code _webthing._tcp.local. -> label._webthing._tcp.local.} (shared), and with the cache-flush
 * bit SRV (port, target {@code label.local.}), TXT (the strings as given, bytes unchanged), A for
 * the target, and in answers an NSEC saying the target has no AAAA.
 *
 * @param label    the instance label (the device's name)
 * @param instance {@code label._webthing._tcp.local.}
 * @param host     {@code label.local.}
 * @param port     SRV port (0 allowed: hostile-record tests)
 * @param address  the A record's address
 * @param txtRdata TXT rdata: each string with its length byte
 */
record ServiceRecords(String label, Name instance, Name host, int port, Inet4Address address, byte[] txtRdata) {
    static final int CACHE_FLUSH = 0x8000;
    /** The bound of one TXT string (its length is one byte). */
    static final int MAX_TXT_STRING = 255;

    /** The records of {@code label}; throws IllegalArgumentException for a label or TXT string DNS cannot carry. */
    static ServiceRecords of(String label, int port, Inet4Address address, List<byte[]> txt) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 0-65535");
        }
        ByteArrayOutputStream rdata = new ByteArrayOutputStream();
        for (byte[] string : txt) {
            if (string.length > MAX_TXT_STRING) {
                throw new IllegalArgumentException("a TXT string of " + string.length + " bytes; DNS carries at most "
                        + MAX_TXT_STRING);
            }
            rdata.write(string.length);
            rdata.writeBytes(string);
        }
        if (rdata.size() == 0) {
            rdata.write(0); // RFC 6763 §6.1: an empty TXT record holds one empty string
        }
        return new ServiceRecords(label, MdnsNames.instance(label), MdnsNames.host(label), port, address,
                rdata.toByteArray());
    }

    /** The same service under another label (after a name conflict). */
    ServiceRecords renamed(String newLabel) {
        return new ServiceRecords(newLabel, MdnsNames.instance(newLabel), MdnsNames.host(newLabel), port, address,
                txtRdata);
    }

    Record ptr(long ttl) {
        return new PTRRecord(MdnsNames.SERVICE_TYPE, DClass.IN, ttl, instance);
    }

    Record srv(long ttl) {
        return new SRVRecord(instance, DClass.IN | CACHE_FLUSH, ttl, 0, 0, port, host);
    }

    Record txt(long ttl) {
        return Record.newRecord(instance, Type.TXT, DClass.IN | CACHE_FLUSH, ttl, txtRdata);
    }

    Record a(long ttl) {
        return new ARecord(host, DClass.IN | CACHE_FLUSH, ttl, address);
    }

    /** The target has an A record and nothing else of the address types (python-zeroconf's NSEC). */
    Record nsec(long ttl) {
        return new NSECRecord(host, DClass.IN | CACHE_FLUSH, ttl, host, new int[] {Type.AAAA});
    }

    /** Every record of an announcement (python-zeroconf puts all four in the answer section). */
    List<Record> announcement(RecordLifetimes ttl) {
        return List.of(ptr(ttl.otherTtl()), srv(ttl.hostTtl()), txt(ttl.otherTtl()), a(ttl.hostTtl()));
    }

    /** The same records with TTL 0 (RFC 6762 §10.1). */
    List<Record> goodbye() {
        return List.of(ptr(0), srv(0), txt(0), a(0));
    }
}
