package org.broadsheet.site;

import org.broadsheet.web.ErrorPages;
import org.broadsheet.web.Templates;

/** Error pages in the site's look: the site's frame around a status, a title and what to do. */
public final class SiteErrorPages implements ErrorPages {

  private final SiteChrome chrome;
  private final Templates templates;

  public SiteErrorPages(SiteChrome chrome, Templates templates) {
    this.chrome = chrome;
    this.templates = templates;
  }

  @Override
  public byte[] render(int status, String title, String message) {
    Chrome frame = chrome.chrome(title, "", "/", "");
    return templates.render("error/error.jte", new ErrorPage(frame, status, title, message));
  }
}
