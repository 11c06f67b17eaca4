package org.broadsheet.support;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IP address literals and CIDR ranges, parsed without ever touching DNS: matching an address
 * against ranges, the block rate limits count by (IPv4 /24, IPv6 /48), and the reader's real
 * address behind trusted proxies. Stateless and thread-safe.
 */
public final class IpAddresses {

  private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]{2,45}");

  private IpAddresses() {}

  /** Parses a literal IPv4 or IPv6 address; never resolves names. */
  public static Optional<InetAddress> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String literal = text.strip();
    if (literal.startsWith("[") && literal.endsWith("]")) {
      literal = literal.substring(1, literal.length() - 1);
    }
    boolean v4 = IPV4.matcher(literal).matches();
    boolean v6 = literal.contains(":") && IPV6.matcher(literal).matches();
    if (!v4 && !v6) {
      return Optional.empty();
    }
    if (v4) {
      for (String part : literal.split("\\.")) {
        if (Integer.parseInt(part) > 255) {
          return Optional.empty();
        }
      }
    }
    try {
      return Optional.of(InetAddress.getByName(literal));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /**
   * True for an address literal or a CIDR range such as {@code 10.0.0.0/8} or {@code
   * 2001:db8::/32}.
   */
  public static boolean isAddressOrRange(String text) {
    return range(text).isPresent();
  }

  /** A range: an address with an optional prefix length. */
  public record Range(byte[] network, int prefix) {
    public boolean contains(InetAddress address) {
      byte[] bytes = address.getAddress();
      if (bytes.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (bytes[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = 0xFF << (8 - rest) & 0xFF;
      return (bytes[full] & mask) == (network[full] & mask);
    }
  }

  public static Optional<Range> range(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String[] parts = text.strip().split("/", -1);
    if (parts.length > 2) {
      return Optional.empty();
    }
    Optional<InetAddress> address = parse(parts[0]);
    if (address.isEmpty()) {
      return Optional.empty();
    }
    int bits = address.get().getAddress().length * 8;
    int prefix = bits;
    if (parts.length == 2) {
      if (!parts[1].matches("\\d{1,3}")) {
        return Optional.empty();
      }
      prefix = Integer.parseInt(parts[1]);
      if (prefix > bits) {
        return Optional.empty();
      }
    }
    return Optional.of(new Range(address.get().getAddress(), prefix));
  }

  /** The block a rate limit counts by: the /24 of an IPv4 address, the /48 of an IPv6 one. */
  public static String block(String address) {
    Optional<InetAddress> parsed = parse(address);
    if (parsed.isEmpty()) {
      return "unknown";
    }
    byte[] bytes = parsed.get().getAddress();
    if (parsed.get() instanceof Inet4Address) {
      return (bytes[0] & 0xFF) + "." + (bytes[1] & 0xFF) + "." + (bytes[2] & 0xFF) + ".0/24";
    }
    if (parsed.get() instanceof Inet6Address) {
      return String.format(
              "%02x%02x:%02x%02x:%02x%02x::/48",
              bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5])
          .replaceAll("(^|:)0+([0-9a-f])", "$1$2");
    }
    return "unknown";
  }

  /**
   * The reader's address: the connection's peer, unless that peer is a trusted proxy, in which case
   * the right-most address in X-Forwarded-For that is not itself a trusted proxy.
   */
  public static String clientAddress(String peer, String forwardedFor, List<Range> trustedProxies) {
    if (!isTrusted(peer, trustedProxies) || forwardedFor == null || forwardedFor.isBlank()) {
      return peer;
    }
    String[] hops = forwardedFor.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].strip();
      if (parse(hop).isEmpty()) {
        return peer;
      }
      if (!isTrusted(hop, trustedProxies)) {
        return parse(hop).get().getHostAddress();
      }
    }
    return peer;
  }

  /**
   * The {@code for=} addresses of an RFC 7239 {@code Forwarded} header, comma-separated in the
   * order of X-Forwarded-For (ports and IPv6 brackets removed); null when there are none. A hop
   * that is not an address ({@code unknown}, an obfuscated name) stays as it is, so that {@link
   * #clientAddress} stops there.
   */
  public static String forwardedFor(String forwarded) {
    if (forwarded == null || forwarded.isBlank()) {
      return null;
    }
    List<String> hops = new java.util.ArrayList<>();
    for (String element : forwarded.split(",")) {
      for (String pair : element.split(";")) {
        int eq = pair.indexOf('=');
        if (eq < 0 || !pair.substring(0, eq).strip().equalsIgnoreCase("for")) {
          continue;
        }
        String value = pair.substring(eq + 1).strip();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        if (value.startsWith("[")) {
          int close = value.indexOf(']');
          value = close > 0 ? value.substring(1, close) : value;
        } else if (value.indexOf(':') == value.lastIndexOf(':') && value.indexOf(':') > 0) {
          value = value.substring(0, value.indexOf(':')); // IPv4 with a port
        }
        hops.add(value);
      }
    }
    return hops.isEmpty() ? null : String.join(",", hops);
  }

  /** True when the address is in one of the ranges. */
  public static boolean isTrusted(String address, List<Range> trusted) {
    Optional<InetAddress> parsed = parse(address);
    return parsed.isPresent() && trusted.stream().anyMatch(r -> r.contains(parsed.get()));
  }
}
