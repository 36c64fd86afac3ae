package com.example.honeybee.webhook;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** An optional list of source networks (IPv4 or IPv6 CIDR); empty means every source is allowed. */
public final class CidrAllowlist {

    private record Network(byte[] address, int prefixLength) {
        boolean contains(byte[] candidate) {
            if (candidate.length != address.length) {
                return false;
            }
            int fullBytes = prefixLength / 8;
            for (int i = 0; i < fullBytes; i++) {
                if (candidate[i] != address[i]) {
                    return false;
                }
            }
            int remainingBits = prefixLength % 8;
            if (remainingBits == 0) {
                return true;
            }
            int mask = 0xFF << (8 - remainingBits) & 0xFF;
            return (candidate[fullBytes] & mask) == (address[fullBytes] & mask);
        }
    }

    private final List<Network> networks;

    public CidrAllowlist(List<String> cidrs) {
        List<Network> parsed = new ArrayList<>();
        for (String cidr : cidrs) {
            parsed.add(parse(cidr.trim()));
        }
        this.networks = List.copyOf(parsed);
    }

    public boolean isEnabled() {
        return !networks.isEmpty();
    }

    /** Whether the source may deliver webhooks; an unknown source is refused when the list is on. */
    public boolean allows(String sourceAddress) {
        if (networks.isEmpty()) {
            return true;
        }
        if (sourceAddress == null || sourceAddress.isBlank()) {
            return false;
        }
        byte[] candidate;
        try {
            candidate = literal(stripPort(sourceAddress.trim()));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return networks.stream().anyMatch(network -> network.contains(candidate));
    }

    private static Network parse(String cidr) {
        int slash = cidr.indexOf('/');
        byte[] address = literal(slash < 0 ? cidr : cidr.substring(0, slash));
        int maxBits = address.length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? maxBits : Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("honeybee.webhook.allow-cidrs: bad prefix length in '" + cidr + "'");
        }
        if (prefix < 0 || prefix > maxBits) {
            throw new IllegalArgumentException("honeybee.webhook.allow-cidrs: prefix out of range in '" + cidr + "'");
        }
        return new Network(address, prefix);
    }

    /** Parses an IP literal without ever doing a DNS lookup. */
    private static byte[] literal(String text) {
        String candidate = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        boolean ipv4 = candidate.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean ipv6 = candidate.contains(":") && candidate.matches("[0-9A-Fa-f:.%a-zA-Z0-9]+");
        if (!ipv4 && !ipv6) {
            throw new IllegalArgumentException("not an IP address literal: '" + text + "'");
        }
        try {
            return InetAddress.getByName(candidate).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address literal: '" + text + "'");
        }
    }

    private static String stripPort(String address) {
        if (address.startsWith("[")) {
            int end = address.indexOf(']');
            return end > 0 ? address.substring(0, end + 1) : address;
        }
        int colon = address.indexOf(':');
        // exactly one colon means host:port of an IPv4 address; more colons is an IPv6 literal
        if (colon > 0 && address.indexOf(':', colon + 1) < 0) {
            return address.substring(0, colon);
        }
        return address;
    }
}
