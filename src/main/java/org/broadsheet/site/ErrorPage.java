package org.broadsheet.site;

/** The model of an error page: status, a short title and what the reader can do next. */
public record ErrorPage(Chrome chrome, int status, String title, String message) {}
