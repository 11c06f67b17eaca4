package org.broadsheet.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.ExceptionHandler;
import io.javalin.http.Handler;
import io.javalin.security.RouteRole;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What a {@link RouteModule} registers its routes with. Routes are collected from every module and
 * then handed to the server most specific first (a literal segment before a path parameter, a
 * parameter before a wildcard), so one feature's broad pattern, such as {@code /{slug}}, never
 * shadows another feature's route whatever order the modules come in. Roles given with a route are
 * checked before its handler runs, by the access rule the newsroom registers. Not thread-safe: used
 * while the server is being built.
 */
public final class Routes {

  private enum Method {
    GET,
    HEAD,
    POST,
    PUT,
    DELETE
  }

  private record Entry(Method method, String path, Handler handler, RouteRole[] roles, int order) {}

  private final RoutesConfig config;
  private final List<Entry> entries = new ArrayList<>();
  private final List<ApiOperation> operations = new ArrayList<>();

  Routes(RoutesConfig config) {
    this.config = config;
  }

  /** A page: GET, and HEAD with the same handler. */
  public void page(String path, Handler handler, RouteRole... roles) {
    add(Method.GET, path, handler, roles);
    add(Method.HEAD, path, handler, roles);
  }

  public void get(String path, Handler handler, RouteRole... roles) {
    add(Method.GET, path, handler, roles);
  }

  public void post(String path, Handler handler, RouteRole... roles) {
    add(Method.POST, path, handler, roles);
  }

  /**
   * An API operation, registered exactly as declared (method, path, permission); the declaration is
   * kept for the OpenAPI document. A public GET also answers HEAD.
   */
  public void api(ApiOperation operation, Handler handler) {
    io.javalin.security.RouteRole[] roles =
        operation.permission() == null
            ? new io.javalin.security.RouteRole[0]
            : new io.javalin.security.RouteRole[] {operation.permission()};
    switch (operation.method()) {
      case "GET" -> {
        add(Method.GET, operation.path(), handler, roles);
        add(Method.HEAD, operation.path(), handler, roles);
      }
      case "POST" -> add(Method.POST, operation.path(), handler, roles);
      case "PUT" -> add(Method.PUT, operation.path(), handler, roles);
      case "DELETE" -> add(Method.DELETE, operation.path(), handler, roles);
      default -> throw new IllegalArgumentException(operation.method());
    }
    operations.add(operation);
  }

  /** The API operations registered so far, in registration order. */
  public List<ApiOperation> apiOperations() {
    return List.copyOf(operations);
  }

  /** A handler that runs before the routes of one path (it may answer and skip the rest). */
  public void before(String path, Handler handler) {
    config.before(path, handler);
  }

  /** A handler that runs after the routes of one path (and after errors), e.g. to count. */
  public void after(String path, Handler handler) {
    config.after(path, handler);
  }

  /** A handler that runs before every matched route's own (e.g. the access rule). */
  public void beforeMatched(Handler handler) {
    config.beforeMatched(handler);
  }

  public <E extends Exception> void exception(Class<E> type, ExceptionHandler<? super E> handler) {
    config.exception(type, handler);
  }

  private void add(Method method, String path, Handler handler, RouteRole[] roles) {
    entries.add(new Entry(method, path, handler, roles.clone(), entries.size()));
  }

  /** Registers what was collected, most specific path first. */
  void apply() {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(
        Comparator.comparing((Entry e) -> specificity(e.path())).thenComparing(Entry::order));
    for (Entry e : sorted) {
      switch (e.method()) {
        case GET -> config.get(e.path(), e.handler(), e.roles());
        case HEAD -> config.head(e.path(), e.handler(), e.roles());
        case POST -> config.post(e.path(), e.handler(), e.roles());
        case PUT -> config.put(e.path(), e.handler(), e.roles());
        case DELETE -> config.delete(e.path(), e.handler(), e.roles());
      }
    }
  }

  /**
   * A sort key: per segment, 0 for a literal, 1 for a parameter, 2 for a wildcard; shorter keys
   * (fewer segments) first among equals, which does not matter as they cannot match the same path.
   */
  static String specificity(String path) {
    StringBuilder key = new StringBuilder();
    for (String segment : path.split("/")) {
      if (segment.isEmpty()) {
        continue;
      }
      key.append(
          segment.equals("*")
              ? '2'
              : segment.startsWith("{") || segment.startsWith("<") ? '1' : '0');
    }
    return key.toString();
  }

  /** Every route collected so far, as "METHOD path roles", for tests and diagnostics. */
  public List<String> describe() {
    return entries.stream()
        .map(e -> e.method() + " " + e.path() + " " + java.util.Arrays.toString(e.roles()))
        .toList();
  }
}
