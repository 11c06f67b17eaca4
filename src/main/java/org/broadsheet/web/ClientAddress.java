package org.broadsheet.web;

import io.javalin.http.Context;
import java.util.List;
import org.broadsheet.support.IpAddresses;
import org.broadsheet.support.OperatorNotices;

/**
 * The reader's address, resolved once per request by a before-filter: the connection's peer, or,
 * when the peer is a configured trusted proxy, the address it forwarded (X-Forwarded-For, or the
 * standard Forwarded header). Forwarding headers from a peer that is not trusted are ignored, and
 * raise an operator notice: behind an untrusted reverse proxy every reader shares the proxy's
 * address, and with it every rate limit. Handlers read the address with {@link #of}. Thread-safe.
 */
public final class ClientAddress {

  private static final String ATTRIBUTE = "broadsheet.client-address";

  /** The key of the notice raised when forwarding headers come from an untrusted peer. */
  public static final String UNTRUSTED_PROXY = "untrusted-proxy";

  private final List<IpAddresses.Range> trustedProxies;
  private final OperatorNotices notices;

  public ClientAddress(List<String> trustedProxies, OperatorNotices notices) {
    this.trustedProxies =
        trustedProxies.stream().map(p -> IpAddresses.range(p).orElseThrow()).toList();
    this.notices = notices;
  }

  /** The before-filter: resolves the address and keeps it on the request. */
  void resolve(Context ctx) {
    String peer = ctx.req().getRemoteAddr();
    String forwardedFor = ctx.header("X-Forwarded-For");
    if (forwardedFor == null) {
      forwardedFor = IpAddresses.forwardedFor(ctx.header("Forwarded"));
    }
    if (forwardedFor != null && !IpAddresses.isTrusted(peer, trustedProxies)) {
      untrusted(peer);
    }
    ctx.attribute(ATTRIBUTE, resolve(peer, forwardedFor));
  }

  private void untrusted(String peer) {
    if (notices.isRaised(UNTRUSTED_PROXY)) {
      return;
    }
    notices.raise(
        UNTRUSTED_PROXY,
        "Requests from "
            + peer
            + " carry X-Forwarded-For or Forwarded headers, but "
            + peer
            + " is not in BROADSHEET_TRUSTED_PROXIES, so the headers are ignored. If it is your"
            + " reverse proxy, every reader behind it counts as "
            + peer
            + ": one visitor's failed sign-ins, comments and sign-ups use up everyone's limits."
            + " Add its address to BROADSHEET_TRUSTED_PROXIES and restart.");
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
