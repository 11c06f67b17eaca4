package org.broadsheet.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The OpenAPI 3.1 document of the HTTP API, written from the operations' own declarations ({@link
 * ApiOperation}) and the records they read and answer with (their components, types and {@link
 * ApiDoc} notes), so the document is whatever the code is. Errors are RFC 9457 problem details.
 * Pure: the same declarations always give the same document.
 */
public final class OpenApi {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** The problem details every error answer carries. */
  @ApiDoc("An error, as RFC 9457 problem details (application/problem+json).")
  public record Problem(
      @ApiDoc(value = "what kind of problem, a URI", example = "about:blank") String type,
      @ApiDoc(value = "a short summary", example = "Not found", required = true) String title,
      @ApiDoc(value = "the HTTP status", example = "404") int status,
      @ApiDoc(
              value = "what was wrong and what to do about it",
              example = "No published article has that id.")
          String detail,
      @ApiDoc(
              value = "for a validation error: the message for each field that was refused",
              example = "{\"headline\":\"Write a headline.\"}")
          Map<String, String> errors) {}

  private final Map<String, ObjectNode> schemas = new LinkedHashMap<>();

  private OpenApi() {}

  /** The document for these operations, as served at {@code /api/v1/openapi.json}. */
  public static ObjectNode document(String title, String version, List<ApiOperation> operations) {
    return new OpenApi().build(title, version, operations);
  }

  private ObjectNode build(String title, String version, List<ApiOperation> operations) {
    ObjectNode doc = F.objectNode();
    doc.put("openapi", "3.1.0");
    ObjectNode info = doc.putObject("info");
    info.put("title", title);
    info.put("version", version);
    info.put(
        "description",
        "The Content API (public reads of what the site shows) and the Admin API (writes, with an"
            + " API key created in the newsroom under Integrations, sent as `Authorization: Bearer"
            + " …`, or a signed-in member's session with its CSRF token in `X-CSRF-Token`). Errors"
            + " are RFC 9457 problem details. Lists are paged with an opaque `cursor`.");
    doc.putArray("servers").addObject().put("url", "/");
    ObjectNode paths = doc.putObject("paths");
    schema(Problem.class);
    for (ApiOperation op : operations) {
      ObjectNode path = paths.has(op.path()) ? (ObjectNode) paths.get(op.path()) : null;
      if (path == null) {
        path = paths.putObject(op.path());
      }
      path.set(op.method().toLowerCase(Locale.ROOT), operation(op));
    }
    ObjectNode components = doc.putObject("components");
    ObjectNode schemaNode = components.putObject("schemas");
    schemas.keySet().stream().sorted().forEach(name -> schemaNode.set(name, schemas.get(name)));
    ObjectNode security = components.putObject("securitySchemes");
    security
        .putObject("apiKey")
        .put("type", "http")
        .put("scheme", "bearer")
        .put("description", "An API key from the newsroom (Integrations), shown once when made.");
    security
        .putObject("session")
        .put("type", "apiKey")
        .put("in", "cookie")
        .put("name", "bs_session")
        .put(
            "description",
            "A signed-in member's session (the newsroom's own scripts); writes also need the"
                + " session's CSRF token in the X-CSRF-Token header.");
    return doc;
  }

  private ObjectNode operation(ApiOperation op) {
    ObjectNode node = F.objectNode();
    node.put("operationId", op.operationId());
    node.putArray("tags").add(op.tag());
    node.put("summary", op.summary());
    if (!op.description().isEmpty()) {
      node.put("description", op.description());
    }
    if (!op.parameters().isEmpty()) {
      ArrayNode params = node.putArray("parameters");
      for (ApiOperation.Param p : op.parameters()) {
        ObjectNode param = params.addObject();
        param.put("name", p.name());
        param.put("in", p.in().name().toLowerCase(Locale.ROOT));
        param.put("required", p.required());
        param.put("description", p.description());
        param.set("schema", typeSchema(p.type(), null));
        if (p.example() != null && !p.example().isEmpty()) {
          param.set("example", example(p.example(), p.type()));
        }
      }
    }
    if (op.multipart()) {
      ObjectNode body = node.putObject("requestBody");
      body.put("required", true);
      body.putObject("content").putObject("multipart/form-data").set("schema", ref(op.body()));
    } else if (op.body() != null) {
      ObjectNode body = node.putObject("requestBody");
      body.put("required", true);
      ObjectNode json = body.putObject("content").putObject("application/json");
      json.set("schema", ref(op.body()));
      json.set("example", exampleOf(op.body(), 0));
    }
    ObjectNode responses = node.putObject("responses");
    ObjectNode ok = responses.putObject(Integer.toString(op.status()));
    ok.put("description", op.status() == 201 ? "Created" : op.status() == 204 ? "Done" : "OK");
    if (op.response() != null) {
      ObjectNode json = ok.putObject("content").putObject("application/json");
      json.set("schema", ref(op.response()));
      json.set("example", exampleOf(op.response(), 0));
    }
    if ("GET".equals(op.method()) && op.permission() == null) {
      responses.putObject("304").put("description", "Not modified (If-None-Match matched)");
    }
    ObjectNode problem = responses.putObject("default");
    problem.put(
        "description",
        "A problem: 400 bad input, 401 no or unknown key, 403 not allowed, 404 not found, 409"
            + " conflict, 422 refused fields, 429 too many requests (see Retry-After)");
    problem
        .putObject("content")
        .putObject("application/problem+json")
        .set("schema", ref(Problem.class));
    ArrayNode security = node.putArray("security");
    if (op.permission() != null) {
      security.addObject().putArray("apiKey");
      security.addObject().putArray("session");
      node.put("x-permission", op.permission().toString().toLowerCase(Locale.ROOT));
    } else {
      // Public by default; a key (when the operator requires one for reads) or nothing.
      security.addObject().putArray("apiKey");
      security.addObject();
    }
    return node;
  }

  private ObjectNode ref(Class<?> type) {
    schema(type);
    return F.objectNode().put("$ref", "#/components/schemas/" + type.getSimpleName());
  }

  /** Registers a record's schema (and those of the records it holds). */
  private void schema(Class<?> type) {
    if (!type.isRecord()) {
      throw new IllegalArgumentException(type + " is not a record");
    }
    String name = type.getSimpleName();
    if (schemas.containsKey(name)) {
      return;
    }
    ObjectNode node = F.objectNode();
    schemas.put(name, node);
    node.put("type", "object");
    ApiDoc typeDoc = type.getAnnotation(ApiDoc.class);
    if (typeDoc != null) {
      node.put("description", typeDoc.value());
    }
    ObjectNode properties = node.putObject("properties");
    ArrayNode required = F.arrayNode();
    for (RecordComponent c : type.getRecordComponents()) {
      ObjectNode property = typeSchema(c.getType(), c.getGenericType());
      ApiDoc doc = c.getAnnotation(ApiDoc.class);
      if (doc != null) {
        if (property.has("$ref")) {
          // Siblings of $ref are allowed in 3.1, but tools read a wrapped reference best.
          ObjectNode wrapped = F.objectNode();
          wrapped.putArray("allOf").add(property);
          property = wrapped;
        }
        property.put("description", doc.value());
        if (doc.allowed().length > 0) {
          ArrayNode values = property.putArray("enum");
          for (String v : doc.allowed()) {
            values.add(v);
          }
        }
        if (!doc.example().isEmpty()) {
          property.set("example", example(doc.example(), c.getType()));
        }
      }
      properties.set(c.getName(), property);
      if (c.getType().isPrimitive() || (doc != null && doc.required())) {
        required.add(c.getName());
      }
    }
    if (!required.isEmpty()) {
      node.set("required", required);
    }
  }

  private ObjectNode typeSchema(Class<?> type, Type generic) {
    ObjectNode s = F.objectNode();
    if (type == String.class) {
      s.put("type", "string");
    } else if (type == long.class || type == Long.class) {
      s.put("type", "integer").put("format", "int64");
    } else if (type == int.class || type == Integer.class) {
      s.put("type", "integer").put("format", "int32");
    } else if (type == boolean.class || type == Boolean.class) {
      s.put("type", "boolean");
    } else if (type == double.class || type == Double.class) {
      s.put("type", "number").put("format", "double");
    } else if (type == ApiOperation.FileField.class) {
      s.put("type", "string").put("format", "binary");
    } else if (type == Instant.class) {
      s.put("type", "string").put("format", "date-time");
    } else if (type == LocalDate.class) {
      s.put("type", "string").put("format", "date");
    } else if (List.class.isAssignableFrom(type)) {
      s.put("type", "array");
      Type item = ((ParameterizedType) generic).getActualTypeArguments()[0];
      s.set("items", typeSchema((Class<?>) item, item));
    } else if (Map.class.isAssignableFrom(type)) {
      s.put("type", "object");
      Type value = ((ParameterizedType) generic).getActualTypeArguments()[1];
      s.set("additionalProperties", typeSchema((Class<?>) value, value));
    } else if (type.isRecord()) {
      return ref(type);
    } else {
      throw new IllegalArgumentException("No schema for " + type);
    }
    return s;
  }

  /** An example object for a record, made of its fields' examples. */
  private JsonNode exampleOf(Class<?> type, int depth) {
    ObjectNode node = F.objectNode();
    if (depth > 4) {
      return node;
    }
    for (RecordComponent c : type.getRecordComponents()) {
      ApiDoc doc = c.getAnnotation(ApiDoc.class);
      if (doc != null && !doc.example().isEmpty()) {
        node.set(c.getName(), example(doc.example(), c.getType()));
      } else if (c.getType().isRecord()) {
        node.set(c.getName(), exampleOf(c.getType(), depth + 1));
      } else if (List.class.isAssignableFrom(c.getType())
          && c.getGenericType() instanceof ParameterizedType p
          && p.getActualTypeArguments()[0] instanceof Class<?> item
          && item.isRecord()) {
        node.putArray(c.getName()).add(exampleOf(item, depth + 1));
      }
    }
    return node;
  }

  private static JsonNode example(String text, Class<?> type) {
    if (type == String.class || type == Instant.class || type == LocalDate.class) {
      if (!text.startsWith("\"")) {
        return F.textNode(text);
      }
    }
    try {
      return Api.JSON.readTree(text);
    } catch (java.io.IOException e) {
      return F.textNode(text);
    }
  }
}
