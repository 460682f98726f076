package io.wasmiot.agent.internal.mdns;

/**
 * How long receivers may cache each record, in seconds, as python-zeroconf's {@code ServiceInfo}
 * sets them: {@code host_ttl} for SRV and A, {@code other_ttl} for PTR, TXT (and the NSEC beside
 * an A). python-zeroconf 0.47 ({@code zeroconf/const.py}: {@code _DNS_HOST_TTL = 120},
 * {@code _DNS_OTHER_TTL = 4500}; {@code _services/info.py}: {@code dns_service} and
 * {@code dns_addresses} use host_ttl, {@code dns_pointer} and {@code dns_text} other_ttl).
 *
 * @param hostTtl  SRV and A lifetime
 * @param otherTtl PTR and TXT lifetime
 */
public record RecordLifetimes(long hostTtl, long otherTtl) {
    public static final RecordLifetimes PYTHON_ZEROCONF = new RecordLifetimes(120, 4500);

    public RecordLifetimes {
        if (hostTtl < 1 || otherTtl < 1 || hostTtl > Integer.MAX_VALUE || otherTtl > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("record lifetimes must be 1 s to 2^31-1 s");
        }
    }
}
