package org.broadsheet.web;

/**
 * Thrown while rendering when the page lives at another address: answered with a 301 to it,
 * cacheable for an hour (an article whose section or date changed, an old WordPress address).
 */
public final class Redirect extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String location;

  public Redirect(String location) {
    super(location, null, false, false);
    this.location = location;
  }

  public String location() {
    return location;
  }
}
