package org.broadsheet.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * GET requests the server makes to other sites on a writer's behalf (an embed's title and
 * thumbnail), built so that a link cannot turn the server against its own network: only hosts on an
 * allow-list, HTTPS unless told otherwise, every address a name resolves to must be public (checked
 * inside the client's own resolver, so the address connected to is the address checked), redirects
 * followed by hand and each hop checked again, no cookies, a total time limit and a size limit that
 * cuts an answer off as soon as it is exceeded. Thread-safe.
 */
public final class OutboundHttp implements Managed {

  /** Why a request was not made or its answer not used; the message says which for the log. */
  public static final class Refused extends IOException {
    public Refused(String message) {
      super(message);
    }
  }

  /** A complete answer within the limits. */
  public record Answer(int status, String contentType, byte[] body) {}

  private static final int MAX_REDIRECTS = 3;

  private final Predicate<String> hostAllowed;
  private final Predicate<InetAddress> addressAllowed;
  private final boolean plainHttp;
  private final Duration timeout;
  private final String userAgent;
  private HttpClient client;

  /**
   * @param hostAllowed whether a host name may be asked at all (before any DNS lookup)
   * @param addressAllowed whether an address it resolves to may be connected to; {@link
   *     PublicAddresses#isPublic} in production
   * @param plainHttp whether {@code http:} is allowed (tests' local stand-ins only)
   * @param timeout the most a request may take in all, from connecting to the last byte
   */
  public OutboundHttp(
      Predicate<String> hostAllowed,
      Predicate<InetAddress> addressAllowed,
      boolean plainHttp,
      Duration timeout,
      String userAgent) {
    this.hostAllowed = hostAllowed;
    this.addressAllowed = addressAllowed;
    this.plainHttp = plainHttp;
    this.timeout = timeout;
    this.userAgent = userAgent;
  }

  /** The production rules: the allowed hosts (and their subdomains), public addresses, HTTPS. */
  public static OutboundHttp publicInternet(List<String> hosts, Duration timeout, String agent) {
    return new OutboundHttp(
        host -> allowedHost(hosts, host), PublicAddresses::isPublic, false, timeout, agent);
  }

  /** Whether {@code host} is one of {@code hosts} or a subdomain of one. */
  public static boolean allowedHost(List<String> hosts, String host) {
    String h = host.toLowerCase(Locale.ROOT);
    for (String allowed : hosts) {
      if (h.equals(allowed) || h.endsWith("." + allowed)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public synchronized void start() {
    if (client != null) {
      return;
    }
    QueuedThreadPool threads = new QueuedThreadPool(8, 1);
    threads.setName("outbound-http");
    threads.setDaemon(true);
    HttpClient c = new HttpClient();
    c.setExecutor(threads);
    c.setFollowRedirects(false);
    c.setHttpCookieStore(new HttpCookieStore.Empty());
    c.setConnectTimeout(Math.min(timeout.toMillis(), 5_000));
    c.setIdleTimeout(timeout.toMillis());
    c.setMaxConnectionsPerDestination(4);
    c.setSocketAddressResolver(new CheckedResolver());
    c.setUserAgentField(null);
    try {
      c.start();
    } catch (Exception e) {
      throw new IllegalStateException("Could not start the outbound HTTP client", e);
    }
    client = c;
  }

  @Override
  public synchronized void stop() {
    if (client != null) {
      try {
        client.stop();
      } catch (Exception e) {
        // Stopping: nothing left to save.
      }
      client = null;
    }
  }

  @Override
  public String name() {
    return "outbound HTTP";
  }

  /**
   * Fetches {@code uri}, following at most three redirects that pass the same checks; an answer
   * larger than {@code maxBytes} is cut off and refused.
   *
   * @throws Refused when a rule refuses the request, a redirect or the answer, or it times out
   */
  public Answer get(URI uri, int maxBytes, String accept) throws Refused {
    HttpClient c;
    synchronized (this) {
      if (client == null) {
        start();
      }
      c = client;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    URI current = uri;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      check(current);
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new Refused("no complete answer within " + timeout.toMillis() + " ms");
      }
      Request request =
          c.newRequest(current)
              .method("GET")
              .agent(userAgent)
              .headers(h -> h.put("Accept", accept))
              .timeout(left, TimeUnit.NANOSECONDS);
      ContentResponse response;
      try {
        response = new CompletableResponseListener(request, maxBytes).send().get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Refused("interrupted");
      } catch (ExecutionException e) {
        throw refusal(e.getCause(), maxBytes);
      }
      int status = response.getStatus();
      if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
        String location = response.getHeaders().get("Location");
        if (location == null) {
          throw new Refused("a redirect without a Location");
        }
        try {
          current = current.resolve(location.strip());
        } catch (IllegalArgumentException e) {
          throw new Refused("a redirect to a malformed address");
        }
        continue;
      }
      return new Answer(status, String.valueOf(response.getMediaType()), response.getContent());
    }
    throw new Refused("more than " + MAX_REDIRECTS + " redirects");
  }

  /**
   * Posts {@code body} to {@code uri} once, under the same rules as {@link #get}; redirects are not
   * followed (a receiver answers where it was asked). The answer is read up to {@code maxBytes}.
   *
   * @throws Refused when a rule refuses the request, or it fails or times out
   */
  public Answer post(
      URI uri, byte[] body, String contentType, java.util.Map<String, String> headers, int maxBytes)
      throws Refused {
    HttpClient c;
    synchronized (this) {
      if (client == null) {
        start();
      }
      c = client;
    }
    check(uri);
    Request request =
        c.newRequest(uri)
            .method("POST")
            .agent(userAgent)
            .headers(h -> headers.forEach(h::put))
            .body(new org.eclipse.jetty.client.BytesRequestContent(contentType, body))
            .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    try {
      ContentResponse response = new CompletableResponseListener(request, maxBytes).send().get();
      return new Answer(
          response.getStatus(), String.valueOf(response.getMediaType()), response.getContent());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Refused("interrupted");
    } catch (ExecutionException e) {
      throw refusal(e.getCause(), maxBytes);
    }
  }

  /**
   * Checks that {@code uri} may be asked at all and that every address its host has now is allowed,
   * for a clear answer when an address is set up (the connection checks again).
   */
  public void checkTarget(URI uri) throws Refused {
    check(uri);
    try {
      for (InetAddress address : InetAddress.getAllByName(uri.getHost())) {
        if (!addressAllowed.test(address)) {
          throw new Refused(
              uri.getHost() + " is a private or local address (" + address.getHostAddress() + ")");
        }
      }
    } catch (java.net.UnknownHostException e) {
      throw new Refused("no such host: " + uri.getHost());
    }
  }

  private void check(URI uri) throws Refused {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("https") || (plainHttp && scheme.equals("http")))) {
      throw new Refused("not an HTTPS address: " + uri);
    }
    if (uri.getHost() == null || uri.getRawUserInfo() != null) {
      throw new Refused("not a plain host address: " + uri);
    }
    if (!hostAllowed.test(uri.getHost())) {
      throw new Refused("host not on the allow-list: " + uri.getHost());
    }
  }

  private static Refused refusal(Throwable cause, int maxBytes) {
    if (cause instanceof Refused refused) {
      return refused;
    }
    if (cause instanceof TimeoutException) {
      return new Refused("no complete answer in time");
    }
    if (cause instanceof IllegalArgumentException
        && String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT).contains("capacity")) {
      return new Refused("the answer is larger than " + maxBytes + " bytes");
    }
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof Refused refused) {
        return refused;
      }
    }
    return new Refused(
        cause == null ? "failed" : cause.getClass().getSimpleName() + ": " + cause.getMessage());
  }

  /** Resolves names and refuses them when any address they have is not allowed. */
  private final class CheckedResolver implements SocketAddressResolver {
    @Override
    public void resolve(
        String host,
        int port,
        Map<String, Object> context,
        Promise<List<InetSocketAddress>> promise) {
      InetAddress[] addresses;
      try {
        addresses = InetAddress.getAllByName(host);
      } catch (UnknownHostException e) {
        promise.failed(new Refused("unknown host: " + host));
        return;
      }
      List<InetSocketAddress> result = new ArrayList<>();
      for (InetAddress address : addresses) {
        if (!addressAllowed.test(address)) {
          promise.failed(
              new Refused(host + " resolves to a non-public address: " + address.getHostAddress()));
          return;
        }
        result.add(new InetSocketAddress(address, port));
      }
      promise.succeeded(result);
    }
  }
}
