package org.broadsheet.config;

/** Who may read the Content API. */
public enum ApiReads {
  /** Anyone: it shows only what the site shows. */
  PUBLIC,
  /** Callers with an API key. */
  KEYED,
  /** Nobody: the Content API answers 404. */
  OFF
}
