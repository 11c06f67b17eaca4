package org.broadsheet.newsroom;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.broadsheet.account.Role;
import org.broadsheet.account.Sessions;
import org.broadsheet.account.User;
import org.broadsheet.web.HttpError;

/**
 * Who is signed in, and whether they may do what they ask. Every newsroom route declares the {@link
 * Role.Permission} it needs where it is registered; {@link #check} runs before any matched route
 * and lets the request through only for a signed-in member with that permission, and, for a
 * state-changing request, the session's CSRF token (the site-wide filter already refuses foreign
 * origins). Handlers then read the member with {@link #member}. Thread-safe.
 */
public final class NewsroomAccess {

  private static final String CURRENT = "broadsheet.session";
  private static final String CSRF_CHECKED = "broadsheet.csrf-checked";

  private static final String CALLER = "broadsheet.caller";

  private final Sessions sessions;
  private final boolean secure;
  private final String cookieName;
  private final org.broadsheet.account.ApiKeys apiKeys;

  public NewsroomAccess(Sessions sessions, boolean secure) {
    this(sessions, secure, null);
  }

  /** With API keys: requests to {@code /api/} may carry a key instead of a session. */
  public NewsroomAccess(Sessions sessions, boolean secure, org.broadsheet.account.ApiKeys apiKeys) {
    this.sessions = sessions;
    this.secure = secure;
    this.apiKeys = apiKeys;
    // Behind TLS the __Host- prefix pins the cookie to this host, path / and Secure.
    this.cookieName = secure ? "__Host-bs_session" : "bs_session";
  }

  public String cookieName() {
    return cookieName;
  }

  /** The signed-in member's session, looked up once per request. */
  public Optional<Sessions.Current> current(Context ctx) {
    Object cached = ctx.attribute(CURRENT);
    if (cached instanceof Sessions.Current c) {
      return Optional.of(c);
    }
    Optional<Sessions.Current> found = sessions.find(ctx.cookie(cookieName));
    found.ifPresent(c -> ctx.attribute(CURRENT, c));
    return found;
  }

  /**
   * The access rule, run before every matched route: a route that declares permissions is only for
   * a signed-in member who has them all (otherwise a redirect to sign in for pages, or 401 / 403),
   * and a state-changing request must carry the CSRF token. Routes without permissions are public.
   */
  public void check(Context ctx) {
    java.util.List<Role.Permission> needed =
        ctx.routeRoles().stream()
            .filter(Role.Permission.class::isInstance)
            .map(Role.Permission.class::cast)
            .toList();
    if (!needed.isEmpty()) {
      needed.forEach(permission -> require(ctx, permission));
    }
  }

  /**
   * Who is calling an API route {@link #check} let in: the key's integration (limited to its
   * scopes), or the signed-in member.
   */
  public org.broadsheet.account.Caller caller(Context ctx) {
    Object cached = ctx.attribute(CALLER);
    if (cached instanceof org.broadsheet.account.Caller c) {
      return c;
    }
    return org.broadsheet.account.Caller.member(member(ctx).user());
  }

  /**
   * The caller a request's API key stands for, or empty when it carries none; a key that is unknown
   * or revoked is a 401. For reads that are public unless the operator asks for keys.
   */
  public Optional<org.broadsheet.account.Caller> apiKey(Context ctx) {
    Object cached = ctx.attribute(CALLER);
    if (cached instanceof org.broadsheet.account.Caller c) {
      return Optional.of(c);
    }
    String auth = ctx.header("Authorization");
    if (apiKeys == null || auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    org.broadsheet.account.Caller caller =
        apiKeys
            .authenticate(auth.substring(7).strip())
            .orElseThrow(
                () -> {
                  ctx.header("WWW-Authenticate", "Bearer");
                  return new HttpError(
                      401,
                      "Unknown API key",
                      "This API key is not known or was revoked. Make a new one in the newsroom"
                          + " under Integrations.");
                });
    ctx.attribute(CALLER, caller);
    return Optional.of(caller);
  }

  /** The member {@link #check} let in; only for routes that declare a permission. */
  public Sessions.Current member(Context ctx) {
    return current(ctx)
        .orElseThrow(() -> new IllegalStateException(ctx.path() + " declares no permission"));
  }

  /**
   * The member, if signed in and allowed; otherwise a redirect to sign in (for pages) or 401/403.
   * POSTs must also carry the CSRF token.
   */
  Sessions.Current require(Context ctx, Role.Permission permission) {
    if (ctx.path().startsWith("/api/")) {
      Optional<org.broadsheet.account.Caller> keyed = apiKey(ctx);
      if (keyed.isPresent()) {
        if (!keyed.get().can(permission)) {
          throw new HttpError(
              403,
              "Not allowed",
              "This API key may not do this: it needs the \""
                  + permission.name().toLowerCase(java.util.Locale.ROOT)
                  + "\" permission, and both the key and its owner's role must have it.");
        }
        return null;
      }
    }
    Optional<Sessions.Current> session = current(ctx);
    if (session.isEmpty()) {
      if (ctx.method().name().equals("GET") && !ctx.path().startsWith("/api/")) {
        throw new SignInFirst(
            ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString()));
      }
      if (ctx.path().startsWith("/api/")) {
        ctx.header("WWW-Authenticate", "Bearer");
        throw new HttpError(
            401,
            "API key needed",
            "Send an API key (Authorization: Bearer <key>; make one in the newsroom under"
                + " Integrations) or a signed-in member's session.");
      }
      throw new HttpError(
          401,
          "Please sign in",
          "Your session has ended. Sign in again and repeat the action; what you typed is still in your browser's back history.");
    }
    User user = session.get().user();
    if (!user.can(permission)) {
      throw new HttpError(
          403,
          "Not allowed",
          "Your role (" + user.role().label() + ") cannot do this. Ask an admin if you need it.");
    }
    if (!ctx.method().name().equals("GET")
        && !ctx.method().name().equals("HEAD")
        && ctx.attribute(CSRF_CHECKED) == null) {
      checkCsrf(ctx, session.get());
      ctx.attribute(CSRF_CHECKED, Boolean.TRUE);
    }
    return session.get();
  }

  /** The CSRF check for a form posted by a signed-in member. */
  public void checkCsrf(Context ctx, Sessions.Current session) {
    String sent;
    try {
      sent = ctx.formParam("_csrf");
    } catch (Exception malformed) {
      // Jetty refuses broken form bodies (e.g. control characters in an upload's file name).
      org.slf4j.LoggerFactory.getLogger(NewsroomAccess.class)
          .info("Unreadable form on {}: {}", ctx.path(), rootCause(malformed));
      throw new HttpError(
          400,
          "Form not understood",
          "The form could not be read. If you were uploading a file, rename it (plain letters and"
              + " digits) and try again.");
    }
    if (sent == null) {
      sent = ctx.header("X-CSRF-Token");
    }
    if (sent == null
        || !MessageDigest.isEqual(
            sent.getBytes(StandardCharsets.UTF_8),
            session.csrf().getBytes(StandardCharsets.UTF_8))) {
      throw new HttpError(
          403,
          "Form expired",
          "This form is out of date or came from another site. Reload the page and try again.");
    }
  }

  private static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.toString();
  }

  public void setCookie(Context ctx, String token) {
    Cookie cookie = new Cookie(cookieName, token);
    cookie.setPath("/");
    cookie.setHttpOnly(true);
    cookie.setSecure(secure);
    cookie.setSameSite(SameSite.LAX);
    ctx.cookie(cookie);
  }

  public void clearCookie(Context ctx) {
    Cookie cookie = new Cookie(cookieName, "");
    cookie.setPath("/");
    cookie.setMaxAge(0);
    cookie.setHttpOnly(true);
    cookie.setSecure(secure);
    cookie.setSameSite(SameSite.LAX);
    ctx.cookie(cookie);
  }

  /**
   * A {@code next=} target that stays inside the newsroom: a path starting with {@code /admin},
   * never another host, scheme or a protocol-relative {@code //} address.
   */
  public static String safeNext(String next) {
    if (next == null
        || !next.startsWith("/admin")
        || next.startsWith("//")
        || next.contains("\\")
        || next.chars().anyMatch(c -> c < 0x21 || c == 0x7f)
        || next.length() > 500) {
      return "/admin";
    }
    return next;
  }

  /** Thrown to send a visitor to the sign-in page and back afterwards. */
  public static final class SignInFirst extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String next;

    SignInFirst(String next) {
      super(null, null, false, false);
      this.next = next;
    }

    public String location() {
      return "/admin/sign-in?next="
          + java.net.URLEncoder.encode(safeNext(next), StandardCharsets.UTF_8);
    }
  }
}
