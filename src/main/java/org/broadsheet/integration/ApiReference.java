package org.broadsheet.integration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.broadsheet.site.Chrome;
import org.broadsheet.web.Api;

/**
 * The API's readable reference, made from the same OpenAPI document the API serves: one section per
 * group of operations, each with its parameters and example request and answer. Immutable.
 */
public record ApiReference(Chrome chrome, List<Group> groups) {

  /** Operations under one tag (Content, Articles (admin), …). */
  public record Group(String name, String anchor, List<Operation> operations) {}

  /** One operation as the page shows it. */
  public record Operation(
      String method,
      String path,
      String anchor,
      String summary,
      String description,
      String permission,
      List<Param> params,
      String requestExample,
      String responseExample,
      int status) {}

  /** One parameter row. */
  public record Param(String name, String in, String type, boolean required, String description) {}

  /** The reference of this document. */
  public static ApiReference of(Chrome chrome, ObjectNode document) {
    Map<String, List<Operation>> byTag = new LinkedHashMap<>();
    document
        .get("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .properties()
                    .forEach(
                        entry -> {
                          JsonNode op = entry.getValue();
                          List<Param> params = new ArrayList<>();
                          for (JsonNode p : op.path("parameters")) {
                            params.add(
                                new Param(
                                    p.path("name").asText(),
                                    p.path("in").asText(),
                                    p.path("schema").path("type").asText(),
                                    p.path("required").asBoolean(),
                                    plain(p.path("description").asText())));
                          }
                          JsonNode body =
                              op.path("requestBody").path("content").path("application/json");
                          String status =
                              op.path("responses").properties().iterator().next().getKey();
                          JsonNode answer =
                              op.path("responses")
                                  .path(status)
                                  .path("content")
                                  .path("application/json");
                          byTag
                              .computeIfAbsent(
                                  op.path("tags").path(0).asText(), t -> new ArrayList<>())
                              .add(
                                  new Operation(
                                      entry.getKey().toUpperCase(java.util.Locale.ROOT),
                                      path.getKey(),
                                      op.path("operationId").asText(),
                                      plain(op.path("summary").asText()),
                                      plain(op.path("description").asText()),
                                      op.path("x-permission").asText(),
                                      params,
                                      pretty(body.path("example")),
                                      pretty(answer.path("example")),
                                      Integer.parseInt(status)));
                        }));
    List<Group> groups = new ArrayList<>();
    byTag.forEach(
        (tag, ops) ->
            groups.add(
                new Group(
                    tag, tag.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z]+", "-"), ops)));
    return new ApiReference(chrome, groups);
  }

  /** The document's descriptions are Markdown; the page shows them as plain text. */
  private static String plain(String markdown) {
    return markdown.replace("`", "");
  }

  private static String pretty(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "";
    }
    try {
      return Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return node.toString();
    }
  }
}
