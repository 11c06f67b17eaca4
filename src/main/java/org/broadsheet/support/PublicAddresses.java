package org.broadsheet.support;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Whether an address is on the public internet: the test every outbound request the server makes on
 * someone's behalf passes after DNS resolution, so that a link, an oEmbed answer or a redirect can
 * never make it call loopback, the private network, link-local cloud metadata services, multicast
 * or reserved ranges. IPv4 embedded in IPv6 (mapped, NAT64, 6to4) is judged by the IPv4 address it
 * carries. Stateless.
 */
public final class PublicAddresses {

  private PublicAddresses() {}

  public static boolean isPublic(InetAddress address) {
    if (address.isAnyLocalAddress()
        || address.isLoopbackAddress()
        || address.isLinkLocalAddress()
        || address.isSiteLocalAddress()
        || address.isMulticastAddress()) {
      return false;
    }
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      return isPublicV4(b);
    }
    if (address instanceof Inet6Address) {
      return isPublicV6(b);
    }
    return false;
  }

  private static boolean isPublicV4(byte[] b) {
    int a0 = b[0] & 0xff;
    int a1 = b[1] & 0xff;
    int a2 = b[2] & 0xff;
    return !(a0 == 0 // "this network"
        || a0 == 10
        || a0 == 127
        || (a0 == 100 && a1 >= 64 && a1 <= 127) // carrier-grade NAT
        || (a0 == 169 && a1 == 254) // link-local, cloud metadata
        || (a0 == 172 && a1 >= 16 && a1 <= 31)
        || (a0 == 192 && a1 == 0 && a2 == 0) // IETF protocol assignments
        || (a0 == 192 && a1 == 0 && a2 == 2) // documentation
        || (a0 == 192 && a1 == 88 && a2 == 99) // 6to4 relay anycast
        || (a0 == 192 && a1 == 168)
        || (a0 == 198 && (a1 == 18 || a1 == 19)) // benchmarking
        || (a0 == 198 && a1 == 51 && a2 == 100) // documentation
        || (a0 == 203 && a1 == 0 && a2 == 113) // documentation
        || a0 >= 224); // multicast, reserved, broadcast
  }

  private static boolean isPublicV6(byte[] b) {
    int first = b[0] & 0xff;
    if ((first & 0xfe) == 0xfc // unique local fc00::/7
        || first == 0xff // multicast
        || (first == 0xfe && (b[1] & 0xc0) == 0x80) // link-local fe80::/10
        || (first == 0xfe && (b[1] & 0xc0) == 0xc0)) { // old site-local fec0::/10
      return false;
    }
    if (zero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
      return isPublicV4(java.util.Arrays.copyOfRange(b, 12, 16)); // ::ffff:a.b.c.d
    }
    if (zero(b, 0, 12)) {
      return false; // ::, ::1 and the old IPv4-compatible form
    }
    if (first == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
      return isPublicV4(java.util.Arrays.copyOfRange(b, 12, 16)); // NAT64 64:ff9b::/96
    }
    if (first == 0x20 && (b[1] & 0xff) == 0x02) {
      return isPublicV4(java.util.Arrays.copyOfRange(b, 2, 6)); // 6to4 2002::/16
    }
    if (first == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
      return false; // documentation 2001:db8::/32
    }
    if (first == 0x01 && zero(b, 1, 8)) {
      return false; // discard 100::/64
    }
    return true;
  }

  private static boolean zero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
