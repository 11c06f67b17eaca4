package org.broadsheet.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.broadsheet.account.Role;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.Browserless;
import org.broadsheet.testing.Eventually;
import org.broadsheet.testing.TestApp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Asking for a password reset answers the same, after the same work, whether or not the address
 * belongs to a member: who is a member is looked up only after the answer has gone.
 */
class PasswordResetIT {

  private static int count(TestApp site, String sql) {
    return site.app()
        .database()
        .jdbi()
        .withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
  }

  private static HttpResponse<String> forgot(TestApp site, String email) {
    Browserless b = new Browserless(site.url(""));
    b.get("/admin/password/forgot");
    return b.post("/admin/password/forgot", Map.of("email", email));
  }

  @ParameterizedTest
  @EnumSource(Backend.class)
  void theAnswerIsTheSameAndNothingMemberSpecificHappensBeforeIt(Backend backend) throws Exception {
    try (TestApp site = TestApp.start(backend, false)) {
      site.app().accounts().create("ada@example.org", "Ada", NewsroomIT.PASSWORD, Role.ADMIN, null);
      CountDownLatch hold = new CountDownLatch(1);
      site.app()
          .newsroom()
          .afterAnswer()
          .submit(
              () -> {
                try {
                  hold.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      int mails = count(site, "SELECT COUNT(*) FROM mail_outbox");

      HttpResponse<String> member = forgot(site, "ada@example.org");
      HttpResponse<String> stranger = forgot(site, "nobody@example.org");
      assertThat(member.statusCode()).isEqualTo(stranger.statusCode()).isEqualTo(200);
      assertThat(member.body().replaceAll("name=\"_csrf\" value=\"[^\"]*\"", ""))
          .isEqualTo(stranger.body().replaceAll("name=\"_csrf\" value=\"[^\"]*\"", ""));
      assertThat(count(site, "SELECT COUNT(*) FROM password_resets"))
          .as("no link was made before the answers")
          .isZero();
      assertThat(count(site, "SELECT COUNT(*) FROM mail_outbox")).isEqualTo(mails);
      assertThat(count(site, "SELECT COUNT(*) FROM sign_in_failures WHERE scope LIKE 'reset:%'"))
          .as("both requests were counted alike")
          .isEqualTo(2);

      hold.countDown();
      Eventually.until(
          "the member's link to be queued",
          () -> count(site, "SELECT COUNT(*) FROM mail_outbox") == mails + 1);
      Eventually.until("the queue to finish", () -> site.app().newsroom().afterAnswer().idle());
      assertThat(count(site, "SELECT COUNT(*) FROM password_resets")).isEqualTo(1);
      assertThat(
              count(
                  site, "SELECT COUNT(*) FROM mail_outbox WHERE recipient = 'nobody@example.org'"))
          .isZero();
    }
  }
}
