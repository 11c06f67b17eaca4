package org.broadsheet.site;

/** Finds how to write an image given by its address (the media feature answers). Thread-safe. */
@FunctionalInterface
public interface Pictures {

  Picture of(String src);

  /** Every image as given, without copies (no media library). */
  static Pictures plain() {
    return Picture::plain;
  }
}
