package org.broadsheet.web;

import io.javalin.security.RouteRole;
import java.util.ArrayList;
import java.util.List;

/**
 * One operation of the HTTP API, declared once by the feature that answers it: method and path, the
 * permission it needs (none for the public Content API), its parameters, the record it reads and
 * the record it answers with. {@link Routes#api} registers the handler with exactly this, and
 * {@link OpenApi} writes the OpenAPI document from the same declarations, so the two cannot drift.
 * Immutable.
 *
 * @param body the request's record (JSON, or a multipart form when it has a {@link FileField}), or
 *     null for none
 * @param response the answer's JSON record, or null for 204 No Content
 * @param status the status of a successful answer (200, 201 or 204)
 * @param permission what the caller needs, or null for a public read
 */
public record ApiOperation(
    String method,
    String path,
    String operationId,
    String tag,
    String summary,
    String description,
    List<Param> parameters,
    Class<?> body,
    Class<?> response,
    int status,
    RouteRole permission) {

  /** A file field of a multipart form (the type of a form record's component). */
  public static final class FileField {
    private FileField() {}
  }

  /** Whether the body is a multipart form (its record's components are the form's fields). */
  public boolean multipart() {
    return body != null
        && body.isRecord()
        && java.util.Arrays.stream(body.getRecordComponents())
            .anyMatch(c -> c.getType() == FileField.class);
  }

  /** Where a parameter is sent. */
  public enum In {
    PATH,
    QUERY,
    HEADER
  }

  /** One parameter: a path segment, a query parameter or a header. */
  public record Param(
      String name, In in, Class<?> type, boolean required, String description, String example) {}

  public static Builder get(String path, String operationId) {
    return new Builder("GET", path, operationId);
  }

  public static Builder post(String path, String operationId) {
    return new Builder("POST", path, operationId);
  }

  public static Builder put(String path, String operationId) {
    return new Builder("PUT", path, operationId);
  }

  public static Builder delete(String path, String operationId) {
    return new Builder("DELETE", path, operationId);
  }

  /** Builds a declaration; path parameters are added from the path's {@code {name}} segments. */
  public static final class Builder {
    private final String method;
    private final String path;
    private final String operationId;
    private String tag = "";
    private String summary = "";
    private String description = "";
    private final List<Param> parameters = new ArrayList<>();
    private Class<?> body;
    private Class<?> response;
    private int status = 200;
    private RouteRole permission;

    private Builder(String method, String path, String operationId) {
      this.method = method;
      this.path = path;
      this.operationId = operationId;
    }

    public Builder tag(String tag) {
      this.tag = tag;
      return this;
    }

    public Builder summary(String summary) {
      this.summary = summary;
      return this;
    }

    public Builder description(String description) {
      this.description = description;
      return this;
    }

    public Builder path(String name, Class<?> type, String description, String example) {
      parameters.add(new Param(name, In.PATH, type, true, description, example));
      return this;
    }

    public Builder query(String name, Class<?> type, String description, String example) {
      parameters.add(new Param(name, In.QUERY, type, false, description, example));
      return this;
    }

    public Builder header(String name, String description, String example) {
      parameters.add(new Param(name, In.HEADER, String.class, false, description, example));
      return this;
    }

    public Builder body(Class<?> body) {
      this.body = body;
      return this;
    }

    public Builder answers(Class<?> response) {
      this.response = response;
      return this;
    }

    public Builder created(Class<?> response) {
      this.response = response;
      this.status = 201;
      return this;
    }

    public Builder noContent() {
      this.response = null;
      this.status = 204;
      return this;
    }

    public Builder needs(RouteRole permission) {
      this.permission = permission;
      return this;
    }

    public ApiOperation build() {
      for (String segment : path.split("/")) {
        if (segment.startsWith("{")) {
          String name = segment.substring(1, segment.length() - 1);
          if (parameters.stream().noneMatch(p -> p.in() == In.PATH && p.name().equals(name))) {
            throw new IllegalStateException(operationId + ": describe path parameter " + name);
          }
        }
      }
      return new ApiOperation(
          method,
          path,
          operationId,
          tag,
          summary,
          description,
          List.copyOf(parameters),
          body,
          response,
          status,
          permission);
    }
  }
}
