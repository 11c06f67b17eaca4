package org.broadsheet.comment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.broadsheet.article.Article;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.MutableClock;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Every moderation rule, on SQLite and PostgreSQL. */
@ParameterizedClass
@EnumSource(Backend.class)
class CommentServiceIT {

  private final Backend backend;
  private final MutableClock clock = new MutableClock(Instant.now());
  private TestApp site;

  CommentServiceIT(Backend backend) {
    this.backend = backend;
  }

  @AfterEach
  void stop() {
    if (site != null) {
      site.close();
    }
  }

  private CommentService start(Map<String, String> settings) {
    site = TestApp.start(backend, false, settings, clock);
    return site.app().comments();
  }

  private CommentSubmission comment(
      Article article, Long parent, String name, String email, String body, String ip) {
    return submission(article, parent, name, email, body, ip, Duration.ofSeconds(20));
  }

  /** Without the reader's typing time passing (for rate limits, with the minimum fill time off). */
  private CommentSubmission quickComment(
      Article article, Long parent, String name, String email, String body, String ip) {
    return submission(article, parent, name, email, body, ip, Duration.ZERO);
  }

  private CommentSubmission submission(
      Article article,
      Long parent,
      String name,
      String email,
      String body,
      String ip,
      Duration typing) {
    String answer = site.solvedCheck("comment:" + article.id());
    clock.advance(typing);
    return new CommentSubmission(
        article.id(),
        parent,
        name,
        email,
        "",
        body,
        false,
        answer,
        "",
        ip,
        "JUnit",
        clock.instant());
  }

  @Test
  void firstCommentIsHeldThenTheCommentersOwnBrowserIsTrustedButNotTheirAddressAlone() {
    CommentService comments = start(Map.of());
    Article article = site.article("Harbour ferry returns");
    Comment first =
        comments.submit(
            comment(
                article, null, "Ada", "ada@example.org", "Good news for commuters.", "192.0.2.10"));
    assertThat(first.status()).isEqualTo(CommentStatus.PENDING);
    assertThat(first.reasons()).anyMatch(r -> r.contains("first comment from this commenter"));
    comments.approve(first.id());

    // Someone else who knows Ada's address, from their own browser: held like anyone new.
    Comment impostor =
        comments.submit(
            comment(article, null, "Ada", "ada@example.org", "Buy cheap things.", "203.0.113.66"));
    assertThat(impostor.status()).isEqualTo(CommentStatus.PENDING);

    // Ada's browser shows its own comments (a signed cookie): one of them was approved.
    Comment second =
        comments.submit(
            withProof(
                comment(
                    article, null, "Ada", "ADA@example.org", "And a second thought.", "192.0.2.10"),
                new CommentSubmission.Proof(null, List.of(first.id()))));
    assertThat(second.status()).isEqualTo(CommentStatus.APPROVED);
    assertThat(second.reasons()).isEmpty();

    // The trust cookie, signed for her address when a comment of hers was published.
    String trust = comments.signTrust("ada@example.org");
    Comment third =
        comments.submit(
            withProof(
                comment(article, null, "Ada", "ada@example.org", "A third.", "192.0.2.10"),
                new CommentSubmission.Proof(trust, List.of())));
    assertThat(third.status()).isEqualTo(CommentStatus.APPROVED);
    Comment borrowed =
        comments.submit(
            withProof(
                comment(article, null, "Bo", "bo@example.org", "Not Ada.", "192.0.2.11"),
                new CommentSubmission.Proof(trust, List.of(first.id()))));
    assertThat(borrowed.status())
        .as("Ada's proofs do not vouch for another address")
        .isEqualTo(CommentStatus.PENDING);
  }

  private static CommentSubmission withProof(CommentSubmission s, CommentSubmission.Proof proof) {
    return new CommentSubmission(
        s.articleId(),
        s.parentId(),
        s.name(),
        s.email(),
        s.url(),
        s.body(),
        s.notifyReplies(),
        s.humanCheck(),
        s.honeypot(),
        s.ip(),
        s.userAgent(),
        s.receivedAt(),
        proof);
  }

  @Test
  void holdAllAndNonePolicies() {
    CommentService comments = start(Map.of("BROADSHEET_COMMENTS_POLICY", "hold-all"));
    Article article = site.article("Policy test");
    Comment c =
        comments.submit(
            comment(article, null, "Bo", "bo@example.org", "Held by policy.", "192.0.2.11"));
    comments.approve(c.id());
    Comment again =
        comments.submit(
            comment(article, null, "Bo", "bo@example.org", "Still held.", "192.0.2.11"));
    assertThat(again.status()).isEqualTo(CommentStatus.PENDING);
    assertThat(again.reasons()).anyMatch(r -> r.contains("every comment is held"));
  }

  @Test
  void eachCheckRecordsItsReason() {
    CommentService comments =
        start(Map.of("BROADSHEET_COMMENTS_POLICY", "none", "BROADSHEET_COMMENTS_MAX_LINKS", "1"));
    Article article = site.article("Checks");
    CommentSubmission base =
        comment(article, null, "Cy", "cy@example.org", "Honeypot body.", "192.0.2.12");
    Comment honeypot =
        comments.submit(
            new CommentSubmission(
                base.articleId(),
                null,
                base.name(),
                base.email(),
                "",
                base.body(),
                false,
                base.humanCheck(),
                "http://spam.example",
                base.ip(),
                "bot",
                base.receivedAt()));
    assertThat(honeypot.status()).isEqualTo(CommentStatus.SPAM);
    assertThat(honeypot.reasons()).anyMatch(r -> r.contains("honeypot"));
    assertThat(honeypot.score()).isGreaterThanOrEqualTo(100);

    Comment links =
        comments.submit(
            comment(
                article,
                null,
                "Cy",
                "cy@example.org",
                "See https://one.example/a and https://two.example/b",
                "192.0.2.12"));
    assertThat(links.status()).isEqualTo(CommentStatus.PENDING);
    assertThat(links.reasons()).anyMatch(r -> r.contains("2 links (more than 1)"));

    String fast = site.solvedCheck("comment:" + article.id());
    Comment quick =
        comments.submit(
            new CommentSubmission(
                article.id(),
                null,
                "Cy",
                "cy@example.org",
                "",
                "Typed in no time.",
                false,
                fast,
                "",
                "192.0.2.12",
                "bot",
                clock.instant().plusSeconds(1)));
    assertThat(quick.status()).isEqualTo(CommentStatus.PENDING);
    assertThat(quick.reasons())
        .anyMatch(r -> r.contains("after the form was started (minimum 3 s)"));
  }

  @Test
  void blocklistsMatchWholeWordsAddressesDomainsAndRanges() {
    CommentService comments = start(Map.of("BROADSHEET_COMMENTS_POLICY", "none"));
    Article article = site.article("Blocklists");
    comments.block("word", "casino", null);
    comments.block("email", "troll@example.net", null);
    comments.block("domain", "spam.example", null);
    comments.block("ip", "198.51.100.0/24", null);
    assertThatThrownBy(() -> comments.block("ip", "not-an-ip", null))
        .isInstanceOf(CommentProblem.class);

    assertThat(
            comments
                .submit(
                    comment(
                        article,
                        null,
                        "Di",
                        "di@example.org",
                        "Visit the Casino tonight",
                        "192.0.2.20"))
                .reasons())
        .anyMatch(r -> r.contains("blocked word \"casino\""));
    Comment partial =
        comments.submit(
            comment(article, null, "Di", "di@example.org", "The casinos of old", "192.0.2.20"));
    assertThat(partial.status()).as("whole words only").isEqualTo(CommentStatus.APPROVED);
    assertThat(
            comments
                .submit(comment(article, null, "Tr", "troll@example.net", "Hello", "192.0.2.21"))
                .status())
        .isEqualTo(CommentStatus.SPAM);
    assertThat(
            comments
                .submit(
                    comment(article, null, "Ed", "ed@mail.spam.example", "Hi there", "192.0.2.22"))
                .reasons())
        .anyMatch(r -> r.contains("blocked domain spam.example"));
    assertThat(
            comments
                .submit(
                    comment(
                        article, null, "Fi", "fi@example.org", "From a bad range", "198.51.100.77"))
                .reasons())
        .anyMatch(r -> r.contains("blocked address range 198.51.100.0/24"));
  }

  @Test
  void repliesNestToTheConfiguredDepth() {
    CommentService comments =
        start(Map.of("BROADSHEET_COMMENTS_POLICY", "none", "BROADSHEET_COMMENTS_MAX_DEPTH", "3"));
    Article article = site.article("Threads");
    Comment root =
        comments.submit(comment(article, null, "A", "a@example.org", "Root", "192.0.2.30"));
    Comment reply =
        comments.submit(comment(article, root.id(), "B", "b@example.org", "Reply", "192.0.2.31"));
    Comment deeper =
        comments.submit(comment(article, reply.id(), "C", "c@example.org", "Deeper", "192.0.2.32"));
    assertThat(deeper.depth()).isEqualTo(2);
    assertThatThrownBy(
            () ->
                comments.submit(
                    comment(article, deeper.id(), "D", "d@example.org", "Too deep", "192.0.2.33")))
        .isInstanceOfSatisfying(
            CommentProblem.class,
            p -> {
              assertThat(p.status()).isEqualTo(400);
              assertThat(p.code()).isEqualTo("too-deep");
            });
    Article other = site.article("Another article");
    assertThatThrownBy(
            () ->
                comments.submit(
                    comment(other, root.id(), "E", "e@example.org", "Wrong article", "192.0.2.34")))
        .isInstanceOfSatisfying(
            CommentProblem.class, p -> assertThat(p.code()).isEqualTo("no-parent"));
  }

  @Test
  void rateLimitsCountPerIpBlockAndPerEmail() {
    CommentService comments =
        start(
            Map.of(
                "BROADSHEET_COMMENTS_POLICY",
                "none",
                "BROADSHEET_COMMENTS_PER_IP_PER_MINUTE",
                "3",
                "BROADSHEET_COMMENTS_PER_EMAIL_PER_MINUTE",
                "2",
                "BROADSHEET_COMMENTS_MIN_FILL_SECONDS",
                "0"));
    Article article = site.article("Rate limits");
    for (int i = 0; i < 3; i++) {
      comments.submit(
          quickComment(
              article,
              null,
              "R",
              "r" + i + "@example.org",
              "Comment " + i,
              "203.0.113." + (10 + i)));
    }
    assertThatThrownBy(
            () ->
                comments.submit(
                    quickComment(
                        article, null, "R", "r9@example.org", "One too many", "203.0.113.99")))
        .isInstanceOfSatisfying(
            CommentProblem.class,
            p -> {
              assertThat(p.status()).isEqualTo(429);
              assertThat(p.retryAfterSeconds()).isPositive();
            });
    assertThat(
            comments
                .submit(
                    quickComment(
                        article, null, "R", "r8@example.org", "Other block", "203.0.114.1"))
                .id())
        .isPositive();
    assertThat(
            comments
                .submit(
                    quickComment(article, null, "R", "same@example.org", "IPv6", "2001:db8:1:2::1"))
                .id())
        .isPositive();
    assertThat(
            comments
                .submit(
                    quickComment(
                        article, null, "R", "same@example.org", "IPv6 again", "2001:db8:1:3::1"))
                .id())
        .isPositive();
    assertThatThrownBy(
            () ->
                comments.submit(
                    quickComment(
                        article,
                        null,
                        "R",
                        "same@example.org",
                        "Third from the email",
                        "192.0.2.1")))
        .as("per email")
        .isInstanceOfSatisfying(CommentProblem.class, p -> assertThat(p.status()).isEqualTo(429));
    clock.advance(Duration.ofMinutes(1));
    assertThat(
            comments
                .submit(
                    comment(article, null, "R", "r6@example.org", "After a minute", "203.0.113.50"))
                .id())
        .isPositive();
  }

  @Test
  void duplicatesAreRefusedWith409() {
    CommentService comments = start(Map.of("BROADSHEET_COMMENTS_POLICY", "none"));
    Article article = site.article("Duplicates");
    comments.submit(comment(article, null, "Du", "du@example.org", "Exactly  this.", "192.0.2.40"));
    assertThatThrownBy(
            () ->
                comments.submit(
                    comment(article, null, "Du", "du@example.org", "exactly this.", "192.0.2.40")))
        .isInstanceOfSatisfying(CommentProblem.class, p -> assertThat(p.status()).isEqualTo(409));
  }

  @Test
  void closedThreadsRefuseComments() {
    CommentService comments = start(Map.of("BROADSHEET_COMMENTS_CLOSE_AFTER_DAYS", "14"));
    Article article = site.article("Closing");
    comments.closeComments(article.id(), true);
    assertThatThrownBy(
            () ->
                comments.submit(
                    comment(article, null, "Cl", "cl@example.org", "Closed?", "192.0.2.50")))
        .isInstanceOfSatisfying(
            CommentProblem.class,
            p -> {
              assertThat(p.status()).isEqualTo(403);
              assertThat(p.getMessage()).isEqualTo("Comments are closed on this article.");
            });
    comments.closeComments(article.id(), false);
    assertThat(comments.open(article.id())).isTrue();
    clock.advance(Duration.ofDays(15));
    assertThat(comments.open(article.id())).as("closed automatically after 14 days").isFalse();
  }

  @Test
  void validationNamesEveryBadFieldAndStoresNothing() {
    CommentService comments = start(Map.of());
    Article article = site.article("Validation");
    assertThatThrownBy(
            () ->
                comments.submit(
                    new CommentSubmission(
                        article.id(),
                        null,
                        " ",
                        "not-an-email",
                        "javascript:alert(1)",
                        "  ",
                        false,
                        "",
                        "",
                        "192.0.2.60",
                        "",
                        clock.instant())))
        .isInstanceOfSatisfying(
            CommentProblem.class,
            p ->
                assertThat(p.fieldErrors())
                    .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                            "comment",
                            CommentService.EMPTY_COMMENT,
                            "name",
                            CommentService.EMPTY_NAME,
                            "email",
                            CommentService.BAD_EMAIL,
                            "url",
                            CommentService.BAD_URL)));
    assertThatThrownBy(
            () ->
                comments.submit(
                    new CommentSubmission(
                        article.id(),
                        null,
                        "N",
                        "",
                        "",
                        "x".repeat(10_001),
                        false,
                        "",
                        "",
                        "192.0.2.60",
                        "",
                        clock.instant())))
        .isInstanceOfSatisfying(
            CommentProblem.class,
            p -> assertThat(p.fieldErrors()).containsKeys("comment", "email"));
    assertThatThrownBy(
            () ->
                comments.submit(
                    new CommentSubmission(
                        999_999,
                        null,
                        "N",
                        "n@example.org",
                        "",
                        "Hi",
                        false,
                        "",
                        "",
                        "192.0.2.60",
                        "",
                        clock.instant())))
        .isInstanceOfSatisfying(CommentProblem.class, p -> assertThat(p.status()).isEqualTo(404));
    assertThat(comments.queue(CommentStatus.PENDING, 10)).isEmpty();
  }

  @Test
  void withoutTheCheckACommentIsHeldOrRefusedAsConfigured() {
    CommentService comments = start(Map.of("BROADSHEET_COMMENTS_POLICY", "none"));
    Article article = site.article("No script");
    Comment held =
        comments.submit(
            new CommentSubmission(
                article.id(),
                null,
                "Nj",
                "nj@example.org",
                "",
                "No JavaScript here.",
                false,
                "",
                "",
                "192.0.2.70",
                "lynx",
                clock.instant()));
    assertThat(held.status()).isEqualTo(CommentStatus.PENDING);
    assertThat(held.reasons()).anyMatch(r -> r.contains("human check not completed"));
    site.close();
    site = null;
    CommentService strict = start(Map.of("BROADSHEET_HUMAN_CHECK_WITHOUT_SCRIPT", "reject"));
    Article second = site.article("Strict");
    assertThatThrownBy(
            () ->
                strict.submit(
                    new CommentSubmission(
                        second.id(),
                        null,
                        "Nj",
                        "nj@example.org",
                        "",
                        "No JavaScript.",
                        false,
                        "",
                        "",
                        "192.0.2.70",
                        "lynx",
                        clock.instant())))
        .isInstanceOfSatisfying(
            CommentProblem.class, p -> assertThat(p.fieldErrors()).containsKey("altcha"));
  }

  @Test
  void exportAndEraseByEmail() {
    CommentService comments = start(Map.of("BROADSHEET_COMMENTS_POLICY", "none"));
    Article article = site.article("Privacy");
    Comment kept =
        comments.submit(
            comment(article, null, "Pia", "pia@example.org", "Published thought.", "192.0.2.80"));
    comments.submit(
        comment(article, null, "Other", "other@example.org", "Not mine.", "192.0.2.81"));
    comments.closeComments(article.id(), false);
    assertThat(comments.exportByEmail("PIA@example.org"))
        .extracting(Comment::id)
        .containsExactly(kept.id());
    assertThat(comments.exportByEmail("pia@example.org").getFirst().ip()).isEqualTo("192.0.2.80");
    int[] result = comments.eraseByEmail("pia@example.org");
    assertThat(result[1]).isEqualTo(1);
    assertThat(comments.exportByEmail("pia@example.org")).isEmpty();
    Comment anonymised = comments.find(kept.id()).orElseThrow();
    assertThat(anonymised.authorName()).isEqualTo("Anonymous");
    assertThat(anonymised.authorEmail()).isEmpty();
    assertThat(anonymised.ip()).isNull();
    assertThat(comments.exportByEmail("other@example.org")).hasSize(1);
  }

  @Test
  void addressesAreForgottenAfterTheRetention() {
    CommentService comments =
        start(
            Map.of(
                "BROADSHEET_COMMENTS_POLICY",
                "none",
                "BROADSHEET_COMMENTS_IP_RETENTION_DAYS",
                "30"));
    Article article = site.article("Retention");
    Comment c =
        comments.submit(
            comment(article, null, "Ret", "ret@example.org", "Remember me not.", "192.0.2.90"));
    assertThat(comments.applyRetention()).isZero();
    clock.advance(Duration.ofDays(31));
    assertThat(comments.applyRetention()).isEqualTo(1);
    Comment after = comments.find(c.id()).orElseThrow();
    assertThat(after.ip()).isNull();
    assertThat(after.userAgent()).isNull();
    assertThat(after.body()).isEqualTo("Remember me not.");
  }
}
