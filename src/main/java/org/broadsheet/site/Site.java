package org.broadsheet.site;

import java.util.List;
import org.broadsheet.web.Assets;

/**
 * What every page shows around its content: the site's name, navigation and helpers for links,
 * dates and asset URLs. Rebuilt when settings or sections change. Immutable.
 */
public record Site(
    String title,
    String tagline,
    String language,
    List<Section> sections,
    Assets assets,
    Links links,
    Dates dates,
    String logo,
    Pictures pictures) {

  /** How to write the image at {@code src}: copies for srcset and its size. */
  public Picture picture(String src) {
    return pictures.of(src);
  }
}
