package org.broadsheet.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.broadsheet.article.ArticleApi;
import org.broadsheet.integration.ApiDocumentRoutes;
import org.broadsheet.web.Api;
import org.broadsheet.web.ApiOperation;
import org.broadsheet.web.OpenApi;

/**
 * Every API operation of every feature, in the order of the document; the server registers exactly
 * these (a test compares), and the build writes the OpenAPI document from them ({@link #main}) to
 * generate the client the API's tests use.
 */
public final class ApiCatalog {

  private ApiCatalog() {}

  public static List<ApiOperation> operations() {
    List<ApiOperation> all = new ArrayList<>();
    all.addAll(ArticleApi.OPERATIONS);
    all.addAll(org.broadsheet.search.SearchPages.API_OPERATIONS);
    all.addAll(org.broadsheet.media.MediaApi.OPERATIONS);
    all.addAll(org.broadsheet.comment.CommentApi.OPERATIONS);
    all.addAll(org.broadsheet.newsletter.SubscriberApi.OPERATIONS);
    all.addAll(org.broadsheet.newsroom.AuditApi.OPERATIONS);
    return List.copyOf(all);
  }

  /** Writes the OpenAPI document to the file named by the first argument. */
  public static void main(String[] args) throws java.io.IOException {
    Path out = Path.of(args[0]);
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.write(
        out,
        Api.JSON
            .writerWithDefaultPrettyPrinter()
            .writeValueAsBytes(
                OpenApi.document(
                    ApiDocumentRoutes.TITLE, ApiDocumentRoutes.VERSION, operations())));
  }
}
