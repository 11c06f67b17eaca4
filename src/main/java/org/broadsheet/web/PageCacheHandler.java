package org.broadsheet.web;

import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The read path's first stop: a Jetty handler in front of the web framework that answers GET and
 * HEAD requests for pages already in the {@link PageCache} straight from memory, with the same
 * headers {@link HttpCaching} sends. Anything else (a miss, a query it does not recognise, another
 * method) goes on to the application untouched. Thread-safe.
 */
final class PageCacheHandler extends Handler.Wrapper {

  private final PageCache cache;
  private final HttpField[] fixedHeaders;
  private final HttpField policy;
  private final String policyValue;
  private final java.util.List<String> privateCookies;

  /**
   * {@code privateCookies} is the bypass rule: a request carrying any of these cookies may get a
   * page of its own (a reader's pending comment), so it always goes on to the application.
   */
  PageCacheHandler(
      PageCache cache,
      SecurityHeaders securityHeaders,
      HttpCaching caching,
      java.util.List<String> privateCookies) {
    this.cache = cache;
    this.privateCookies = privateCookies.stream().map(name -> name + "=").toList();
    Map<String, String> headers = new java.util.LinkedHashMap<>(securityHeaders.headers());
    // Sent apart: a page that embeds frames has its own.
    this.policyValue = headers.remove(SecurityHeaders.POLICY_HEADER);
    this.policy = new PreEncodedHttpField(SecurityHeaders.POLICY_HEADER, policyValue);
    headers.put("Cache-Control", caching.cacheControl());
    headers.put("Vary", "Accept-Encoding");
    this.fixedHeaders =
        headers.entrySet().stream()
            .map(e -> new PreEncodedHttpField(e.getKey(), e.getValue()))
            .toArray(HttpField[]::new);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String method = request.getMethod();
    boolean head = HttpMethod.HEAD.is(method);
    if (cache.enabled() && (head || HttpMethod.GET.is(method)) && !hasPrivateCookie(request)) {
      String query = request.getHttpURI().getQuery();
      String path = request.getHttpURI().getPath();
      CachedPage page = cache.peek(query == null ? path : path + "?" + query);
      if (page != null) {
        send(request, response, callback, page, head);
        return true;
      }
    }
    return super.handle(request, response, callback);
  }

  private boolean hasPrivateCookie(Request request) {
    String cookies = request.getHeaders().get(HttpHeader.COOKIE);
    if (cookies == null) {
      return false;
    }
    for (String cookie : privateCookies) {
      if (cookies.contains(cookie)) {
        return true;
      }
    }
    return false;
  }

  private void send(
      Request request, Response response, Callback callback, CachedPage page, boolean head) {
    HttpFields requestHeaders = request.getHeaders();
    boolean gzip = HttpCaching.acceptsGzip(requestHeaders.get(HttpHeader.ACCEPT_ENCODING));
    HttpFields.Mutable headers = response.getHeaders();
    for (HttpField field : fixedHeaders) {
      headers.add(field);
    }
    headers.add(page.frameOrigins().isEmpty() ? policy : page.policyField(policyValue));
    headers.add(page.contentTypeField());
    headers.add(gzip ? page.gzipEtagField() : page.etagField());
    headers.add(page.lastModifiedField());
    if (HttpCaching.notModified(
        requestHeaders.get(HttpHeader.IF_NONE_MATCH),
        requestHeaders.get(HttpHeader.IF_MODIFIED_SINCE),
        page)) {
      response.setStatus(HttpStatus.NOT_MODIFIED_304);
      callback.succeeded();
      return;
    }
    byte[] body = gzip ? page.gzip() : page.body();
    if (gzip) {
      headers.add(HttpCaching.GZIP_ENCODING);
    }
    headers.put(HttpHeader.CONTENT_LENGTH, body.length);
    response.setStatus(HttpStatus.OK_200);
    response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), callback);
  }
}
