package org.broadsheet.integration;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.broadsheet.newsroom.ApiAccess;
import org.broadsheet.site.SiteChrome;
import org.broadsheet.web.Api;
import org.broadsheet.web.ApiOperation;
import org.broadsheet.web.CacheTag;
import org.broadsheet.web.CachedPage;
import org.broadsheet.web.HttpCaching;
import org.broadsheet.web.OpenApi;
import org.broadsheet.web.PageCache;
import org.broadsheet.web.RouteModule;
import org.broadsheet.web.Routes;
import org.broadsheet.web.Templates;

/**
 * The API's own description: the OpenAPI document at {@code /api/v1/openapi.json} and the readable
 * reference at {@code /api/v1/docs}, both made from the operations' declarations and served from
 * the page cache; and the rate limit in front of every API request. Thread-safe.
 */
public final class ApiDocumentRoutes implements RouteModule {

  public static final String TITLE = "Broadsheet API";
  public static final String VERSION = "1";

  private final ObjectNode document;
  private final ApiAccess access;
  private final SiteChrome chrome;
  private final Templates templates;
  private final PageCache cache;
  private final HttpCaching caching;

  public ApiDocumentRoutes(
      List<ApiOperation> operations,
      ApiAccess access,
      SiteChrome chrome,
      Templates templates,
      PageCache cache,
      HttpCaching caching) {
    this.document = OpenApi.document(TITLE, VERSION, operations);
    this.access = access;
    this.chrome = chrome;
    this.templates = templates;
    this.cache = cache;
    this.caching = caching;
  }

  @Override
  public void addRoutes(Routes r) {
    r.before("/api/v1/*", access::limit);
    r.get("/api/v1/openapi.json", this::openapi);
    r.page("/api/v1/docs", this::reference);
  }

  private void openapi(Context ctx) {
    caching.send(
        ctx,
        cache.get(
            "/api/v1/openapi.json",
            () -> new CachedPage(Api.bytes(document), Instant.EPOCH, Set.of(), Api.JSON_TYPE)));
  }

  private void reference(Context ctx) {
    caching.send(
        ctx,
        cache.get(
            "/api/v1/docs",
            () ->
                new CachedPage(
                    templates.render(
                        "integration/reference.jte",
                        ApiReference.of(
                            chrome.chrome(
                                "API reference",
                                "The site's Content API and Admin API",
                                "/api/v1/docs",
                                ""),
                            document)),
                    Instant.EPOCH,
                    Set.of(CacheTag.SETTINGS))));
  }
}
