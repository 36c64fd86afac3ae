package com.example.honeybee.webhook;

import java.util.List;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;

/**
 * An optional list of source networks (IPv4 or IPv6 CIDR, honeybee.webhook.allow-cidrs); empty means every
 * source is allowed. Addresses and networks are parsed by the IPAddress library (github.com/seancfoley/IPAddress),
 * literals only: a host name is never looked up. An IPv4 client seen on an IPv6 socket ({@code ::ffff:a.b.c.d})
 * matches its IPv4 network.
 */
public final class CidrAllowlist {

    /** IP literals with an optional prefix length; no host names, no empty or wildcard forms. */
    private static final IPAddressStringParameters LITERALS = new IPAddressStringParameters.Builder()
            .allowEmpty(false).allowAll(false).allowSingleSegment(false).toParams();

    private final List<IPAddress> networks;

    /** @throws IllegalArgumentException naming the property when an entry is not an IPv4/IPv6 address or CIDR */
    public CidrAllowlist(List<String> cidrs) {
        this.networks = cidrs.stream().map(String::trim).map(CidrAllowlist::network).toList();
    }

    public boolean isEnabled() {
        return !networks.isEmpty();
    }

    /**
     * Whether the source may deliver webhooks: {@code address}, {@code address:port} or {@code [ipv6]:port}.
     * An unknown or malformed source is refused when the list is on.
     */
    public boolean allows(String sourceAddress) {
        if (networks.isEmpty()) {
            return true;
        }
        if (sourceAddress == null || sourceAddress.isBlank()) {
            return false;
        }
        IPAddress source = new IPAddressString(stripPort(sourceAddress.trim()), LITERALS).getAddress();
        if (source == null || source.isPrefixed()) {
            return false;
        }
        IPAddress candidate = source.isIPv6() && source.toIPv6().isIPv4Mapped() ? source.toIPv6().getEmbeddedIPv4Address() : source;
        return networks.stream().anyMatch(network -> network.getIPVersion() == candidate.getIPVersion() && network.contains(candidate));
    }

    private static IPAddress network(String cidr) {
        try {
            return new IPAddressString(cidr, LITERALS).toAddress().toPrefixBlock();
        } catch (AddressStringException | RuntimeException e) {
            throw new IllegalArgumentException("honeybee.webhook.allow-cidrs: '" + cidr + "' is not an IPv4 or IPv6 address or CIDR");
        }
    }

    private static String stripPort(String address) {
        if (address.startsWith("[")) {
            int end = address.indexOf(']');
            return end > 0 ? address.substring(1, end) : address;
        }
        int colon = address.indexOf(':');
        // exactly one colon means host:port of an IPv4 address; more colons is an IPv6 literal
        if (colon > 0 && address.indexOf(':', colon + 1) < 0) {
            return address.substring(0, colon);
        }
        return address;
    }
}
