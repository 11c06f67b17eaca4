package org.broadsheet.demo;

import io.javalin.http.Context;
import java.util.regex.Pattern;
import org.broadsheet.web.Assets;
import org.broadsheet.web.HttpError;
import org.broadsheet.web.RouteModule;
import org.broadsheet.web.Routes;

/** Serves the demo paper's illustrations from the jar at {@code /media/demo/{file}}. Stateless. */
public final class DemoImages implements RouteModule {

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,80}\\.svg");

  @Override
  public void addRoutes(Routes routes) {
    routes.page("/media/demo/{file}", DemoImages::serve);
  }

  private static void serve(Context ctx) {
    String file = ctx.pathParam("file");
    if (!NAME.matcher(file).matches()) {
      throw HttpError.notFound();
    }
    byte[] bytes;
    try {
      bytes = Assets.read("demo/images/" + file);
    } catch (IllegalStateException e) {
      throw HttpError.notFound();
    }
    ctx.header("Cache-Control", "public, max-age=86400");
    ctx.contentType("image/svg+xml");
    ctx.result(bytes);
  }
}
