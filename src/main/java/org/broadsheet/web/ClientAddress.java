package org.broadsheet.web;

import io.javalin.http.Context;
import java.util.List;
import org.broadsheet.support.IpAddresses;

/**
 * The reader's address, resolved once per request by a before-filter: the connection's peer, or,
 * when the peer is a configured trusted proxy, the address it forwarded. Handlers read it with
 * {@link #of}. Thread-safe.
 */
public final class ClientAddress {

  private static final String ATTRIBUTE = "broadsheet.client-address";

  private final List<IpAddresses.Range> trustedProxies;

  public ClientAddress(List<String> trustedProxies) {
    this.trustedProxies =
        trustedProxies.stream().map(p -> IpAddresses.range(p).orElseThrow()).toList();
  }

  /** The before-filter: resolves the address and keeps it on the request. */
  void resolve(Context ctx) {
    ctx.attribute(ATTRIBUTE, resolve(ctx.req().getRemoteAddr(), ctx.header("X-Forwarded-For")));
  }

  String resolve(String peer, String forwardedFor) {
    return IpAddresses.clientAddress(peer, forwardedFor, trustedProxies);
  }

  /** The address the before-filter resolved for this request. */
  public static String of(Context ctx) {
    String address = ctx.attribute(ATTRIBUTE);
    return address != null ? address : ctx.req().getRemoteAddr();
  }

  /** The network rate limits count by: the address's IPv4 /24 or IPv6 /48. */
  public static String network(Context ctx) {
    return IpAddresses.block(of(ctx));
  }
}
