package org.broadsheet.captcha;

import io.javalin.http.Context;
import org.broadsheet.web.HttpError;
import org.broadsheet.web.RouteModule;
import org.broadsheet.web.Routes;

/**
 * The challenge endpoint the widget calls when a reader starts a form. Challenges are made per
 * request and never cached, so cached article pages stay the same for everyone. Thread-safe.
 */
public final class HumanCheckPages implements RouteModule {

  private final ProofOfWork proofOfWork;

  public HumanCheckPages(ProofOfWork proofOfWork) {
    this.proofOfWork = proofOfWork;
  }

  @Override
  public void addRoutes(Routes routes) {
    routes.get("/api/human-check/challenge", this::challenge);
  }

  /** GET /api/human-check/challenge?form=comment:42 */
  public void challenge(Context ctx) {
    String form = ctx.queryParam("form");
    if (!ProofOfWork.isValidBinding(form)) {
      throw HttpError.badRequest("Say which form the check is for, e.g. ?form=comment:42.");
    }
    ctx.header("Cache-Control", "no-store");
    ctx.json(proofOfWork.issue(form));
  }
}
