package io.defensebuilders.aitools.service;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import io.defensebuilders.aitools.config.AiToolsConfig;
import io.defensebuilders.platform.problem.ProblemException;
import io.netty.handler.ipfilter.IpFilterRuleType;
import io.netty.handler.ipfilter.IpSubnetFilterRule;

/**
 * Where a notification may go (SSRF): https (http only when the operator allows it), no credentials in the URL, and a
 * host whose every address is public: not loopback, private, link-local (the cloud metadata address), carrier-grade
 * NAT, unique-local, multicast or otherwise reserved, unless it lies in one of the operator's
 * {@code allowed-networks} (an IPv4-mapped IPv6 address is checked as the IPv4 address it is). The check is made when the
 * subscription is created and again, on a fresh resolution, for
 * every send; the send then connects to the address that was checked, so a DNS answer that changes in between
 * (rebinding) cannot point it elsewhere.
 */
@ApplicationScoped
public class Targets {

    /** A parsed target: what to connect to and what to ask for. */
    public record Target(String host, int port, boolean https, String pathAndQuery) {
    }

    /** A target and the checked address to connect to. */
    public record Resolved(Target target, InetAddress address) {
    }

    private static final List<IpSubnetFilterRule> FORBIDDEN = List.of(rule("0.0.0.0", 8), rule("10.0.0.0", 8),
            rule("100.64.0.0", 10), rule("127.0.0.0", 8), rule("169.254.0.0", 16), rule("172.16.0.0", 12),
            rule("192.0.0.0", 24), rule("192.0.2.0", 24), rule("192.168.0.0", 16), rule("198.18.0.0", 15),
            rule("198.51.100.0", 24), rule("203.0.113.0", 24), rule("224.0.0.0", 4), rule("240.0.0.0", 4),
            rule("::", 128), rule("::1", 128), rule("64:ff9b::", 96), rule("100::", 64),
            rule("2001:db8::", 32), rule("fc00::", 7), rule("fe80::", 10), rule("ff00::", 8));

    private final List<IpSubnetFilterRule> allowed;
    private final boolean allowHttp;

    public Targets(AiToolsConfig config) {
        this.allowHttp = config.notifications().allowHttp();
        this.allowed = new ArrayList<>();
        for (String cidr : config.notifications().allowedNetworks().orElse(List.of())) {
            String[] parts = cidr.trim().split("/");
            allowed.add(rule(parts[0], parts.length > 1 ? Integer.parseInt(parts[1]) : parts[0].contains(":") ? 128 : 32));
        }
    }

    /** The target of {@code url}, or a 400 naming what is wrong with it (field {@code field}). */
    public Target parse(String field, String url) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw ProblemException.invalid(field, "is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && allowHttp)) {
            throw ProblemException.invalid(field, allowHttp ? "must be an http or https URL" : "must be an https URL");
        }
        if (uri.getRawUserInfo() != null) {
            throw ProblemException.invalid(field, "must not carry credentials before the host");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw ProblemException.invalid(field, "has no host");
        }
        boolean https = scheme.equals("https");
        int port = uri.getPort() == -1 ? https ? 443 : 80 : uri.getPort();
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1)
                : uri.getHost();
        return new Target(host.toLowerCase(Locale.ROOT), port, https, path);
    }

    /**
     * The address to connect to: every address of the host checked, the first one taken. Fails with a message for
     * the subscription's owner when one is forbidden or the host does not resolve.
     */
    public Resolved resolve(Target target) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(target.host());
        } catch (UnknownHostException e) {
            throw new Unreachable(target.host() + " does not resolve");
        }
        for (InetAddress address : addresses) {
            if (!permitted(address)) {
                throw new Forbidden(target.host() + " resolves to " + address.getHostAddress()
                        + ", a private, loopback or reserved address: not a notification target"
                        + " (an operator may allow a network: dbp.ai-tools.notifications.allowed-networks)");
            }
        }
        return new Resolved(target, addresses[0]);
    }

    /** Whether a notification may be sent to {@code address}. */
    boolean permitted(InetAddress address) {
        InetSocketAddress socket = new InetSocketAddress(address, 0);
        for (IpSubnetFilterRule rule : allowed) {
            if (rule.matches(socket)) {
                return true;
            }
        }
        for (IpSubnetFilterRule rule : FORBIDDEN) {
            if (rule.matches(socket)) {
                return false;
            }
        }
        return !address.isAnyLocalAddress() && !address.isLoopbackAddress() && !address.isLinkLocalAddress()
                && !address.isSiteLocalAddress() && !address.isMulticastAddress();
    }

    private static IpSubnetFilterRule rule(String address, int prefix) {
        return new IpSubnetFilterRule(address, prefix, IpFilterRuleType.REJECT);
    }

    /** The target's host is not a permitted destination. */
    public static final class Forbidden extends RuntimeException {
        Forbidden(String message) {
            super(message);
        }
    }

    /** The target's host does not resolve (now). */
    public static final class Unreachable extends RuntimeException {
        Unreachable(String message) {
            super(message);
        }
    }
}
