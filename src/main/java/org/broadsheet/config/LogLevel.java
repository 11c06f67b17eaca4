package org.broadsheet.config;

/** How much the log says (read by the logging setup itself; checked here). */
public enum LogLevel {
  TRACE,
  DEBUG,
  INFO,
  WARN,
  ERROR
}
