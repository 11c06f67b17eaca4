package org.broadsheet.web;

/**
 * Renders an error page body in the site's look (the site provides it, so this package needs no
 * site types). Implementations must not throw for any status, title or message.
 */
@FunctionalInterface
public interface ErrorPages {
  byte[] render(int status, String title, String message);
}
