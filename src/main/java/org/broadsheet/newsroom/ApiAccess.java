package org.broadsheet.newsroom;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;
import org.broadsheet.account.Accounts;
import org.broadsheet.account.ApiKeys;
import org.broadsheet.account.Caller;
import org.broadsheet.config.ApiReads;
import org.broadsheet.support.RateLimits;
import org.broadsheet.web.Api;
import org.broadsheet.web.ClientAddress;
import org.broadsheet.web.HttpError;

/**
 * The API's access rules beside the permission check every route gets ({@link NewsroomAccess}): who
 * may read the Content API (everyone, key holders, or nobody), the rate limit per key or per
 * network, who is calling, and idempotent creates. Thread-safe.
 */
public final class ApiAccess {

  private final NewsroomAccess access;
  private final ApiKeys keys;
  private final ApiReads reads;
  private final RateLimits limits;

  public ApiAccess(NewsroomAccess access, ApiKeys keys, ApiReads reads, RateLimits limits) {
    this.access = access;
    this.keys = keys;
    this.reads = reads;
    this.limits = limits;
  }

  /**
   * Runs before every API request that reaches the application: one token from the caller's bucket
   * (its key's, or its network's), or a 429 with Retry-After.
   */
  public void limit(Context ctx) {
    String auth = ctx.header("Authorization");
    // A key's own bucket (its public prefix); anything else counts against the network.
    String bucket = "net:" + ClientAddress.network(ctx);
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String token = auth.substring(7).strip();
      int split = token.indexOf('_', 3);
      if (token.startsWith("bs_") && split > 3 && split < 40) {
        bucket = "key:" + token.substring(0, split);
      }
    }
    OptionalLong wait = limits.tryTake(bucket);
    if (wait.isPresent()) {
      ctx.header("Retry-After", Long.toString(wait.getAsLong()));
      throw new HttpError(
          429,
          "Too many requests",
          "This key (or network) made too many API requests in the last minute. Try again in "
              + wait.getAsLong()
              + " s.");
    }
  }

  /** Lets a Content API read through, or refuses it (reads off, or keyed and no key given). */
  public void checkRead(Context ctx) {
    switch (reads) {
      case OFF -> throw new HttpError(404, "Not found", "The Content API is turned off here.");
      case KEYED -> {
        if (access.apiKey(ctx).isEmpty()) {
          ctx.header("WWW-Authenticate", "Bearer");
          throw new HttpError(
              401,
              "API key needed",
              "Reading this site's API needs a key: send Authorization: Bearer <key>. Ask the"
                  + " site's editors for one.");
        }
      }
      case PUBLIC -> access.apiKey(ctx); // a wrong key is still refused
    }
  }

  /** Whether reads need a key (their answers then stay out of the page cache's fast path). */
  public boolean keyed() {
    return reads == ApiReads.KEYED;
  }

  public Caller caller(Context ctx) {
    return access.caller(ctx);
  }

  public String address(Context ctx) {
    return ClientAddress.of(ctx);
  }

  /**
   * Runs a create at most once per {@code Idempotency-Key}: the first request runs {@code create}
   * and its answer is kept for a day; a retry with the same key and body gets that answer again
   * (with {@code Idempotent-Replayed: true}); the same key with another body is a 422, and while
   * the first is still running a 409. Without the header, {@code create} simply runs.
   */
  public void idempotent(Context ctx, Caller caller, Runnable create) {
    String key = ctx.header("Idempotency-Key");
    if (key == null || key.isBlank()) {
      create.run();
      return;
    }
    if (key.length() > 255) {
      throw HttpError.badRequest("Idempotency-Key is at most 255 characters.");
    }
    long callerId = caller.key() != null ? caller.key().id() : -caller.user().id();
    String fingerprint =
        Accounts.sha256Hex(
            ctx.method().name()
                + " "
                + ctx.path()
                + "\n"
                + new String(ctx.bodyAsBytes(), StandardCharsets.UTF_8));
    Optional<ApiKeys.Remembered> earlier = keys.claim(callerId, key, fingerprint);
    if (earlier.isPresent()) {
      ApiKeys.Remembered first = earlier.get();
      if (!first.requestHash().equals(fingerprint)) {
        throw new HttpError(
            422,
            "Idempotency-Key reused",
            "This Idempotency-Key was used for another request. Use a new key for a new request.");
      }
      if (first.status() == 0) {
        throw new HttpError(
            409,
            "Still running",
            "The first request with this Idempotency-Key is still running. Try again shortly.");
      }
      ctx.header("Idempotent-Replayed", "true");
      ctx.status(first.status());
      ctx.header("Cache-Control", "no-store");
      ctx.contentType(Api.JSON_TYPE);
      ctx.result(first.response() == null ? "" : first.response());
      return;
    }
    try {
      create.run();
    } catch (RuntimeException e) {
      keys.release(callerId, key);
      throw e;
    }
    keys.remember(callerId, key, ctx.statusCode(), ctx.result());
  }
}
