package org.broadsheet.support;

import java.util.Map;

/**
 * Input that cannot be saved, with one message per field a person can act on. Thrown by services
 * before anything is written.
 */
public final class ValidationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Map<String, String> fieldErrors;

  public ValidationException(Map<String, String> fieldErrors) {
    super(String.join(" ", fieldErrors.values()));
    this.fieldErrors = Map.copyOf(fieldErrors);
  }

  public Map<String, String> fieldErrors() {
    return fieldErrors;
  }
}
