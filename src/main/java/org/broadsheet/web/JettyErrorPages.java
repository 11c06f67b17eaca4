package org.broadsheet.web;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Error pages for requests Jetty refuses before they reach the application (malformed URIs, bad
 * percent-encoding, oversized headers): the same page in the site's look, never a stack trace.
 */
final class JettyErrorPages extends ErrorHandler {

  private final ErrorPages renderer;
  private final SecurityHeaders securityHeaders;

  JettyErrorPages(ErrorPages renderer, SecurityHeaders securityHeaders) {
    this.renderer = renderer;
    this.securityHeaders = securityHeaders;
    setShowStacks(false);
    setShowCauses(false);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus() >= 400 ? response.getStatus() : 400;
    Object attribute = request.getAttribute(ERROR_STATUS);
    if (attribute instanceof Integer code && code >= 400) {
      status = code;
    }
    String title =
        switch (status) {
          case 404 -> "Page not found";
          case 414, 431 -> "Address too long";
          case 400 -> "Bad request";
          default -> status >= 500 ? "Something went wrong" : "Request not accepted";
        };
    String message =
        switch (status) {
          case 414, 431 ->
              "That address is longer than this site accepts. Check the link you followed.";
          case 400 ->
              "That address is malformed (for example, an invalid %-escape). Check the link you followed.";
          default ->
              status >= 500
                  ? "A fault on our side stopped this page. Please try again in a moment."
                  : "The request was not accepted.";
        };
    response.setStatus(status);
    securityHeaders.headers().forEach((name, value) -> response.getHeaders().put(name, value));
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
    response.write(true, ByteBuffer.wrap(renderer.render(status, title, message)), callback);
    return true;
  }
}
