package org.broadsheet.comment;

import static org.broadsheet.config.Settings.*;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.broadsheet.account.Actor;
import org.broadsheet.account.Audit;
import org.broadsheet.captcha.HumanCheck;
import org.broadsheet.captcha.HumanCheckFailure;
import org.broadsheet.captcha.HumanCheckResult;
import org.broadsheet.comment.check.Candidate;
import org.broadsheet.comment.check.Checks;
import org.broadsheet.comment.check.CommentCheck;
import org.broadsheet.comment.check.Verdict;
import org.broadsheet.config.Config;
import org.broadsheet.config.Fallback;
import org.broadsheet.mail.MailMessage;
import org.broadsheet.mail.Outbox;
import org.broadsheet.storage.Change;
import org.broadsheet.storage.ChangeFeed;
import org.broadsheet.support.IpAddresses;
import org.broadsheet.support.RateLimits;
import org.broadsheet.support.Signer;
import org.broadsheet.support.WebAddress;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Reader comments: the submission pipeline (clean, validate, check the article and thread, rate
 * limits, human check, duplicates, the scored checks, one transaction with the change feed and the
 * mail outbox), moderation, threads for pages, and personal-data export and erasure. Thread-safe.
 */
public final class CommentService {

  public static final int BODY_MAX = 10_000;
  public static final int NAME_MAX = 100;
  public static final int EMAIL_MAX = 254;
  public static final int URL_MAX = 500;

  public static final String EMPTY_COMMENT = "Please enter your comment!";
  public static final String EMPTY_NAME = "Please enter your name here";
  public static final String EMPTY_EMAIL = "Please enter your email address. It is never shown.";
  public static final String BAD_EMAIL =
      "That email address does not look right; use the form name@example.org.";
  public static final String BAD_URL = "The website address must start with http:// or https://.";

  private static final Pattern EMAIL =
      Pattern.compile("[^@\\s<>()\\[\\],;:\"\\\\]{1,64}@[A-Za-z0-9.-]{1,253}\\.[A-Za-z]{2,63}");

  private final Jdbi jdbi;
  private final CommentStore dao;
  private final ChangeFeed changes;
  private final HumanCheck humanCheck;
  private final Config config;
  private final boolean holdWithoutScript;
  private final Outbox outbox;
  private final CommentedArticles articles;
  private final Audit audit;
  private final Signer signer;
  private final String baseUrl;
  private final Clock clock;
  private final RateLimits perIpBlock;
  private final RateLimits perEmail;
  private final List<CommentCheck> checks;
  private final org.broadsheet.storage.WriteBatcher writes;
  private final com.github.benmanes.caffeine.cache.Cache<Long, Boolean> openArticles;
  private final com.github.benmanes.caffeine.cache.Cache<Long, List<Comment>> approvedByArticle =
      com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(5_000).build();
  private final java.util.concurrent.atomic.AtomicLong approvedGeneration =
      new java.util.concurrent.atomic.AtomicLong();

  public CommentService(
      Jdbi jdbi,
      org.broadsheet.storage.WriteBatcher writes,
      ChangeFeed changes,
      HumanCheck humanCheck,
      Config config,
      Outbox outbox,
      CommentedArticles articles,
      Signer signer,
      Clock clock,
      RateLimits.Source limits,
      Audit audit) {
    this.jdbi = jdbi;
    this.writes = writes;
    this.openArticles =
        com.github.benmanes.caffeine.cache.Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(1))
            .ticker(() -> clock.millis() * 1_000_000L)
            .build();
    this.dao = new CommentStore(jdbi);
    this.changes = changes;
    this.humanCheck = humanCheck;
    this.config = config;
    this.holdWithoutScript = config.get(HUMAN_CHECK_WITHOUT_SCRIPT) == Fallback.HOLD;
    this.outbox = outbox;
    this.articles = articles;
    this.audit = audit;
    this.signer = signer;
    this.baseUrl = config.get(BASE_URL);
    this.clock = clock;
    this.perIpBlock = limits.limit("comments-network", config.get(COMMENTS_PER_IP_PER_MINUTE));
    this.perEmail = limits.limit("comments-address", config.get(COMMENTS_PER_EMAIL_PER_MINUTE));
    this.checks =
        List.of(
            Checks.honeypot(),
            Checks.blocklist(dao::blocklist),
            Checks.minimumFillTime(Duration.ofSeconds(config.get(COMMENTS_MIN_FILL_SECONDS))),
            Checks.linkCount(config.get(COMMENTS_MAX_LINKS)),
            Checks.humanCheckHeld(),
            Checks.policy(config.get(COMMENTS_POLICY)));
  }

  /** Change-feed listener: empties the small caches of open articles and approved comments. */
  public void onChange(Change change) {
    if (change.is(Change.Entity.ARTICLE)) {
      openArticles.invalidate(change.entityId());
    }
    if (change.is(Change.Entity.ARTICLE) || change.is(Change.Entity.COMMENT)) {
      synchronized (approvedGeneration) {
        approvedGeneration.incrementAndGet();
        approvedByArticle.invalidateAll();
      }
    }
  }

  public String humanCheckField() {
    return humanCheck.fieldName();
  }

  public Config config() {
    return config;
  }

  /**
   * Accepts a reader's comment or throws {@link CommentProblem}; nothing is stored on a problem.
   */
  public Comment submit(CommentSubmission s) {
    Fields f = checkFields(s);
    CommentStore.ArticleFacts article =
        jdbi.withHandle(h -> dao.articleFacts(h, s.articleId()))
            .filter(CommentStore.ArticleFacts::published)
            .orElseThrow(
                () ->
                    CommentProblem.of(
                        404, "no-article", "There is no such article to comment on."));
    if (closed(article)) {
      throw CommentProblem.of(403, "closed", "Comments are closed on this article.");
    }
    int depth = replyDepth(s.parentId(), article);
    throttle(s.ip(), f.email());
    String hash = bodyHash(article.id(), f.email().isEmpty() ? f.name() : f.email(), f.body());
    return writes.write(h -> store(h, s, f, article, depth, hash));
  }

  /** A submission's reader-typed fields, cleaned and checked. */
  private record Fields(String name, String email, String url, String body) {}

  /** Cleans the typed fields; throws with every field's problem at once. */
  private Fields checkFields(CommentSubmission s) {
    String name = CommentText.oneLine(s.name());
    String email = CommentText.oneLine(s.email());
    String url = CommentText.oneLine(s.url());
    String body = CommentText.clean(s.body()).strip();
    Map<String, String> errors = new LinkedHashMap<>();
    if (body.isEmpty()) {
      errors.put("comment", EMPTY_COMMENT);
    } else if (body.length() > BODY_MAX) {
      errors.put(
          "comment",
          "Your comment is "
              + body.length()
              + " characters long; the limit is "
              + BODY_MAX
              + ". Please shorten it.");
    }
    if (name.isEmpty()) {
      errors.put("name", EMPTY_NAME);
    } else if (name.length() > NAME_MAX) {
      errors.put("name", "Please keep your name under " + NAME_MAX + " characters.");
    }
    if (email.isEmpty()) {
      if (config.get(COMMENTS_EMAIL_REQUIRED)) {
        errors.put("email", EMPTY_EMAIL);
      }
    } else if (email.length() > EMAIL_MAX || !EMAIL.matcher(email).matches()) {
      errors.put("email", BAD_EMAIL);
    }
    if (!url.isEmpty() && (url.length() > URL_MAX || !WebAddress.isWeb(url))) {
      errors.put("url", BAD_URL);
    }
    if (!errors.isEmpty()) {
      throw new CommentProblem(
          400, "Please correct the marked fields; your text is kept.", errors, "invalid", 0);
    }
    return new Fields(name, email, url, body);
  }

  /** The depth of a reply to this parent (0 for a top-level comment); throws when it cannot be. */
  private int replyDepth(Long parentId, CommentStore.ArticleFacts article) {
    if (parentId == null) {
      return 0;
    }
    Comment parent =
        dao.find(parentId)
            .filter(p -> p.articleId() == article.id() && p.isApproved())
            .orElseThrow(
                () ->
                    new CommentProblem(
                        400,
                        "The comment you are replying to is not available; your text is kept.",
                        Map.of("parent", "The comment you are replying to is not available."),
                        "no-parent",
                        0));
    int depth = parent.depth() + 1;
    if (depth >= config.get(COMMENTS_MAX_DEPTH)) {
      throw new CommentProblem(
          400,
          "Replies nest at most "
              + config.get(COMMENTS_MAX_DEPTH)
              + " levels deep; reply to an earlier comment instead.",
          Map.of("parent", "This thread is as deep as replies go."),
          "too-deep",
          0);
    }
    return depth;
  }

  /**
   * Takes a comment from the address block's and the email's allowance, or throws with the wait.
   */
  private void throttle(String ip, String email) {
    OptionalLong wait = perIpBlock.tryTake("ip:" + IpAddresses.block(ip));
    if (wait.isEmpty() && !email.isEmpty()) {
      wait = perEmail.tryTake("email:" + email.toLowerCase(Locale.ROOT));
    }
    if (wait.isPresent()) {
      throw new CommentProblem(
          429,
          "You are commenting faster than we allow. Please wait "
              + wait.getAsLong()
              + " seconds and submit again; your text is kept.",
          Map.of(),
          "rate-limited",
          wait.getAsLong());
    }
  }

  /**
   * In the write transaction: spends the human check, refuses a duplicate, runs the checks, stores
   * the comment with its change-feed row and queues the mail it causes.
   */
  private Comment store(
      Handle h,
      CommentSubmission s,
      Fields f,
      CommentStore.ArticleFacts article,
      int depth,
      String hash) {
    // Verified inside the transaction: the spent challenge and the comment commit together.
    HumanCheckResult human =
        humanCheck.verify(s.humanCheck(), "comment:" + article.id(), s.ip(), h);
    String held = heldReason(human);
    if (dao.duplicateExists(h, hash)) {
      throw CommentProblem.of(409, "duplicate", "You have already posted this comment here.");
    }
    Instant now = s.receivedAt();
    Candidate candidate =
        new Candidate(
            f.name(),
            f.email(),
            f.url(),
            f.body(),
            s.honeypot(),
            s.ip(),
            now,
            human.startedAt(),
            held,
            trusted(h, f.email(), s.proof()));
    Verdict verdict = new Verdict();
    checks.forEach(check -> check.check(candidate, verdict));
    CommentStatus status =
        verdict.spam()
            ? CommentStatus.SPAM
            : verdict.held() ? CommentStatus.PENDING : CommentStatus.APPROVED;
    Comment draft =
        new Comment(
            0,
            article.id(),
            s.parentId(),
            depth,
            f.name(),
            f.email(),
            f.url(),
            f.body(),
            status,
            now,
            status == CommentStatus.APPROVED ? now : null,
            s.ip(),
            truncate(CommentText.oneLine(s.userAgent()), 300),
            verdict.score(),
            verdict.reasons(),
            // Only once the address confirms: a reader can ask, nobody can sign up someone else.
            false,
            null);
    long id = dao.insert(h, draft, hash);
    Comment saved = dao.find(h, id).orElseThrow();
    changes.record(h, Change.Entity.COMMENT, id, Change.Kind.valueOf(status.name()));
    if (s.notifyReplies() && !f.email().isEmpty() && status != CommentStatus.SPAM) {
      askToConfirmReplyMail(h, saved, article);
    }
    if (status == CommentStatus.PENDING) {
      notifyModerators(h, saved, article);
    } else if (status == CommentStatus.APPROVED) {
      notifyApproved(h, saved, article);
    }
    return saved;
  }

  /** Why the check could not decide, or null when it passed; throws when it failed outright. */
  private String heldReason(HumanCheckResult human) {
    if (human.outcome() == HumanCheckResult.Outcome.HOLD) {
      return human.failure() == null ? "provider undecided" : human.failure().message();
    }
    if (human.outcome() == HumanCheckResult.Outcome.FAILED) {
      if (human.failure() == HumanCheckFailure.MISSING && holdWithoutScript) {
        return "sent without the check (JavaScript off?)";
      }
      throw new CommentProblem(
          400,
          human.failure().message(),
          Map.of(humanCheck.fieldName(), human.failure().message()),
          human.failure().code(),
          0);
    }
    return null;
  }

  private boolean closed(CommentStore.ArticleFacts article) {
    if (article.closed()) {
      return true;
    }
    return config.get(COMMENTS_CLOSE_AFTER_DAYS) > 0
        && article.publishedAt() != null
        && clock
            .instant()
            .isAfter(
                article.publishedAt().plus(Duration.ofDays(config.get(COMMENTS_CLOSE_AFTER_DAYS))));
  }

  /** Whether readers can comment on the article now. */
  public boolean open(long articleId) {
    return jdbi.withHandle(h -> dao.articleFacts(h, articleId))
        .map(a -> a.published() && !closed(a))
        .orElse(false);
  }

  static String bodyHash(long articleId, String who, String body) {
    String normalized =
        articleId
            + "\n"
            + who.toLowerCase(Locale.ROOT)
            + "\n"
            + body.replaceAll("\\s+", " ").strip().toLowerCase(Locale.ROOT);
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(normalized.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String truncate(String text, int max) {
    return text.length() > max ? text.substring(0, max) : text;
  }

  // ---- moderation

  public Comment approve(long id) {
    return moderate(id, CommentStatus.APPROVED, null);
  }

  public Comment markSpam(long id) {
    return moderate(id, CommentStatus.SPAM, null);
  }

  public Comment trash(long id) {
    return moderate(id, CommentStatus.TRASH, null);
  }

  /**
   * Approves, marks as spam or trashes a comment, with the moderator's audit entry, in one
   * transaction; approving tells the commenter and anyone waiting for replies.
   */
  public Comment moderate(long id, CommentStatus status, Actor actor) {
    Comment updated = jdbi.inTransaction(h -> moderate(h, id, status, actor));
    changes.pump();
    return updated;
  }

  private Comment moderate(Handle h, long id, CommentStatus status, Actor actor) {
    Comment current =
        dao.find(h, id)
            .orElseThrow(
                () -> CommentProblem.of(404, "no-comment", "There is no comment " + id + "."));
    if (current.status() == status) {
      return current;
    }
    dao.setStatus(h, id, status, clock.instant());
    changes.record(h, Change.Entity.COMMENT, id, Change.Kind.valueOf(status.name()));
    Comment saved = dao.find(h, id).orElseThrow();
    if (status == CommentStatus.APPROVED) {
      dao.articleFacts(h, saved.articleId())
          .ifPresent(article -> notifyApproved(h, saved, article));
    }
    if (actor != null) {
      audit.record(h, actor, "comment." + verb(status), "comment:" + id, "");
    }
    return saved;
  }

  private static String verb(CommentStatus status) {
    return switch (status) {
      case APPROVED -> "approve";
      case SPAM -> "spam";
      case TRASH -> "trash";
      case PENDING -> "hold";
    };
  }

  public void closeComments(long articleId, boolean closed) {
    jdbi.useTransaction(
        h -> {
          dao.setClosed(h, articleId, closed);
          changes.record(
              h,
              Change.Entity.ARTICLE,
              articleId,
              closed ? Change.Kind.COMMENTS_CLOSED : Change.Kind.COMMENTS_OPENED);
        });
    changes.pump();
  }

  /** One blocklist entry. */
  public record Block(long id, String kind, String value) {}

  /** The blocklist, by kind and value. */
  public List<Block> blocks() {
    return dao.blocks();
  }

  /** Removes a blocklist entry, with its audit entry; false when there was none with that id. */
  public boolean unblock(long id, Actor actor) {
    return jdbi.inTransaction(
        h -> {
          boolean removed = dao.removeBlock(h, id);
          if (removed) {
            audit.record(h, actor, "comment.unblock", "block:" + id, "");
          }
          return removed;
        });
  }

  /**
   * Adds a blocklist entry, with its audit entry: kind is word, email, domain or ip (an address or
   * CIDR range).
   */
  public void block(String kind, String value, Actor actor) {
    String clean = CommentText.oneLine(value).toLowerCase(Locale.ROOT);
    if (clean.isEmpty()
        || !List.of("word", "email", "domain", "ip").contains(kind)
        || (kind.equals("ip") && !IpAddresses.isAddressOrRange(clean))) {
      throw CommentProblem.of(
          400, "bad-block", "Give a word, email address, domain, or IP address or range to block.");
    }
    jdbi.useTransaction(
        h -> {
          dao.addBlock(h, kind, clean);
          if (actor != null) {
            audit.record(h, actor, "comment.block", kind, clean);
          }
        });
  }

  public Optional<Comment> find(long id) {
    return dao.find(id);
  }

  public List<Comment> queue(CommentStatus status, int limit) {
    return dao.byStatus(status, limit);
  }

  /** A page of the moderation queue (or another status), optionally for one article. */
  public List<Comment> queue(CommentStatus status, Long articleId, int limit, int offset) {
    return dao.byStatus(status, articleId, limit, offset);
  }

  /**
   * A reply from the newsroom under a comment, published at once (no checks: the member is signed
   * in); the parent's author is told by mail if they asked for replies.
   */
  public Comment staffReply(long parentId, String staffName, String staffEmail, String text) {
    return staffReply(parentId, staffName, staffEmail, text, null);
  }

  /**
   * A reply from a newsroom member under a comment: approves the comment first if it was held,
   * publishes the reply and records both in the audit log, in one transaction (a refused reply
   * leaves the comment as it was).
   */
  public Comment staffReply(Actor actor, long parentId, String text) {
    return staffReply(parentId, actor.user().name(), actor.email(), text, actor);
  }

  private Comment staffReply(
      long parentId, String staffName, String staffEmail, String text, Actor actor) {
    String body = CommentText.clean(text == null ? "" : text).strip();
    if (body.isEmpty() || body.length() > BODY_MAX) {
      throw new CommentProblem(
          400,
          "Write the reply (up to " + BODY_MAX + " characters).",
          Map.of("comment", EMPTY_COMMENT),
          "invalid",
          0);
    }
    Comment stored =
        jdbi.inTransaction(
            h -> {
              Comment parent =
                  dao.find(h, parentId)
                      .orElseThrow(
                          () -> CommentProblem.of(404, "no-comment", "There is no such comment."));
              if (actor != null && !parent.isApproved()) {
                parent = moderate(h, parentId, CommentStatus.APPROVED, actor);
              }
              CommentStore.ArticleFacts article =
                  dao.articleFacts(h, parent.articleId())
                      .orElseThrow(
                          () -> CommentProblem.of(404, "no-article", "The article is gone."));
              java.time.Instant now = clock.instant();
              Comment draft =
                  new Comment(
                      0,
                      parent.articleId(),
                      parent.id(),
                      Math.min(parent.depth() + 1, Math.max(0, config.get(COMMENTS_MAX_DEPTH) - 1)),
                      CommentText.oneLine(staffName),
                      CommentText.oneLine(staffEmail),
                      "",
                      body,
                      CommentStatus.APPROVED,
                      now,
                      now,
                      "",
                      "newsroom",
                      0,
                      List.of(),
                      false,
                      "staff");
              long id =
                  dao.insert(h, draft, bodyHash(parent.articleId(), staffEmail, body + ":" + now));
              Comment saved = dao.find(h, id).orElseThrow();
              changes.record(h, Change.Entity.COMMENT, id, Change.Kind.APPROVED);
              notifyApproved(h, saved, article);
              if (actor != null) {
                audit.record(h, actor, "comment.reply", "comment:" + parentId, "reply:" + id);
              }
              return saved;
            });
    changes.pump();
    return stored;
  }

  /** Comments waiting for a moderator. */
  public int countHeld() {
    return dao.countByStatus(CommentStatus.PENDING);
  }

  /** Approved comments of an article, oldest first; kept until a comment or the article changes. */
  public List<Comment> approved(long articleId) {
    List<Comment> cached = approvedByArticle.getIfPresent(articleId);
    if (cached != null) {
      return cached;
    }
    long generation = approvedGeneration.get();
    List<Comment> loaded = dao.approvedFor(articleId);
    synchronized (approvedGeneration) {
      if (approvedGeneration.get() == generation) {
        approvedByArticle.put(articleId, loaded);
      }
    }
    return loaded;
  }

  /** The given comments that are still pending, on the given article (a reader's own). */
  public List<Comment> pendingAmong(long articleId, List<Long> ids) {
    return dao.byIds(ids).stream()
        .filter(c -> c.articleId() == articleId && c.status() == CommentStatus.PENDING)
        .toList();
  }

  /** Stops reply notifications for a comment (the unsubscribe link in the mail). */
  public void stopReplyNotifications(long commentId) {
    jdbi.useHandle(h -> dao.setNotify(h, commentId, false));
  }

  // ---- privacy

  /** Everything stored about a commenter, by email address. */
  public List<Comment> exportByEmail(String email) {
    return dao.byEmail(CommentText.oneLine(email));
  }

  /** Erases a commenter's personal data: returns {deleted, anonymised}. */
  public int[] eraseByEmail(String email) {
    String clean = CommentText.oneLine(email);
    if (clean.isEmpty()) {
      throw CommentProblem.of(
          400, "no-email", "Give the email address whose data should be erased.");
    }
    int[] result =
        jdbi.inTransaction(
            h -> {
              List<Long> articles = dao.articleIdsOf(h, clean);
              int[] counts = dao.erase(h, clean);
              for (Long articleId : articles) {
                changes.record(h, Change.Entity.ARTICLE, articleId, Change.Kind.COMMENTS_ERASED);
              }
              return counts;
            });
    changes.pump();
    return result;
  }

  /**
   * Forgets IP addresses and browsers older than the retention; returns how many comments changed.
   */
  public int applyRetention() {
    return dao.forgetAddressesBefore(clock.instant().minus(config.get(COMMENTS_IP_RETENTION)));
  }

  // ---- mail

  /**
   * The article's address with a fragment if readers can see it, else the site's; made from the
   * facts read in the caller's transaction, never from a second connection.
   */
  private String link(CommentStore.ArticleFacts article, String fragment) {
    boolean visible =
        article.published()
            && article.publishedAt() != null
            && !article.publishedAt().isAfter(clock.instant());
    return visible
        ? baseUrl
            + articles.path(article.sectionSlug(), article.publishedAt(), article.slug())
            + fragment
        : baseUrl;
  }

  private void notifyModerators(Handle h, Comment c, CommentStore.ArticleFacts article) {
    String link = link(article, "#comments");
    for (String moderator : config.get(MODERATOR_EMAILS)) {
      String text =
          c.authorName()
              + (c.authorEmail().isEmpty() ? "" : " <" + c.authorEmail() + ">")
              + " wrote on \""
              + article.headline()
              + "\":\n\n"
              + c.body()
              + "\n\nWhy it is held (score "
              + c.score()
              + "):\n- "
              + String.join("\n- ", c.reasons())
              + "\n\nArticle: "
              + link
              + "\nAddress: "
              + c.ip()
              + "\n";
      outbox.enqueue(
          h,
          new MailMessage(
              moderator,
              "Comment awaiting moderation: " + article.headline(),
              text,
              null,
              null,
              "comment-held:" + c.id() + ":" + moderator));
    }
  }

  private void notifyApproved(Handle h, Comment c, CommentStore.ArticleFacts article) {
    String link = link(article, "#comment-" + c.id());
    for (String author : article.authorEmails()) {
      if (!author.equalsIgnoreCase(c.authorEmail())) {
        outbox.enqueue(
            h,
            new MailMessage(
                author,
                "New comment on " + article.headline(),
                c.authorName()
                    + " commented on your article \""
                    + article.headline()
                    + "\":\n\n"
                    + c.body()
                    + "\n\n"
                    + link
                    + "\n",
                null,
                null,
                "comment-approved:" + c.id() + ":" + author));
      }
    }
    if (c.parentId() != null) {
      dao.find(h, c.parentId())
          .filter(
              p ->
                  p.notifyReplies()
                      && p.isApproved()
                      && !p.authorEmail().isEmpty()
                      && !p.authorEmail().equalsIgnoreCase(c.authorEmail()))
          .ifPresent(
              parent -> {
                String unsubscribe =
                    baseUrl + "/comments/unsubscribe?token=" + signer.sign("reply:" + parent.id());
                outbox.enqueue(
                    h,
                    new MailMessage(
                        parent.authorEmail(),
                        c.authorName() + " replied to your comment on " + article.headline(),
                        c.authorName()
                            + " replied to your comment on \""
                            + article.headline()
                            + "\":\n\n"
                            + c.body()
                            + "\n\n"
                            + link
                            + "\n\nTo stop emails about replies to this comment: "
                            + unsubscribe
                            + "\n",
                        null,
                        unsubscribe,
                        "comment-reply:" + c.id() + ":" + parent.id()));
              });
    }
  }

  /** One mail asking the address to confirm it wants mail about replies to this comment. */
  private void askToConfirmReplyMail(Handle h, Comment c, CommentStore.ArticleFacts article) {
    String confirm = baseUrl + "/comments/notify?token=" + signer.sign("notify:" + c.id());
    outbox.enqueue(
        h,
        new MailMessage(
            c.authorEmail(),
            "Confirm emails about replies on " + article.headline(),
            "Someone, hopefully you, commented as "
                + c.authorName()
                + " on \""
                + article.headline()
                + "\" and asked to be emailed when someone replies.\n\n"
                + "To get those emails, confirm here:\n"
                + confirm
                + "\n\nIf it was not you, ignore this message: nothing more will be sent.\n",
            null,
            null,
            "comment-notify-confirm:" + c.id()));
  }

  /** The comment id in a signed reply-mail confirmation token, if it is intact. */
  public Optional<Long> notifyTarget(String token) {
    return signer
        .verify(token)
        .filter(v -> v.startsWith("notify:") && v.substring(7).matches("[0-9]{1,18}"))
        .map(v -> Long.parseLong(v.substring(7)));
  }

  /** Starts reply notifications for a comment whose address confirmed them. */
  public void startReplyNotifications(long commentId) {
    jdbi.useHandle(h -> dao.setNotify(h, commentId, true));
  }

  /** The comment id in a signed unsubscribe token, if it is intact. */
  public Optional<Long> unsubscribeTarget(String token) {
    return signer
        .verify(token)
        .filter(v -> v.startsWith("reply:") && v.substring(6).matches("[0-9]{1,18}"))
        .map(v -> Long.parseLong(v.substring(6)));
  }

  /** Signs the ids of a reader's own comments for the cookie that lets them see them pending. */
  /**
   * Whether the commenter is known: the address has an approved comment, and this browser proves it
   * wrote one (the trust cookie signed for the address, or its own-comments cookie naming an
   * approved comment with the address). Knowing someone's address is not enough.
   */
  private boolean trusted(Handle h, String email, CommentSubmission.Proof proof) {
    if (email.isEmpty() || proof == null) {
      return false;
    }
    if (proof.trustCookie() != null
        && signer
            .verify(proof.trustCookie())
            .filter(v -> v.equals(trustValue(email)))
            .isPresent()) {
      return dao.hasApproved(h, email);
    }
    return !proof.ownComments().isEmpty() && dao.hasApprovedAmong(h, email, proof.ownComments());
  }

  private static String trustValue(String email) {
    return "trust:" + org.broadsheet.account.Accounts.sha256Hex(email.toLowerCase(Locale.ROOT));
  }

  /** The trust cookie's value for a commenter whose comment was just published. */
  public String signTrust(String email) {
    return signer.sign(trustValue(email));
  }

  public String signMine(List<Long> ids) {
    return signer.sign(String.join("-", ids.stream().map(String::valueOf).toList()));
  }

  public List<Long> readMine(String cookie) {
    return signer
        .verify(cookie)
        .map(
            v -> {
              List<Long> ids = new ArrayList<>();
              for (String part : v.split("-")) {
                if (part.matches("[0-9]{1,18}")) {
                  ids.add(Long.parseLong(part));
                }
              }
              return ids;
            })
        .orElse(List.of());
  }
}
