package org.broadsheet.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import org.broadsheet.storage.Database;
import org.broadsheet.support.ValidationException;
import org.broadsheet.testing.Backend;
import org.broadsheet.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Members, sign-in throttling, resets, sessions and the audit log, on both databases. */
@ParameterizedClass
@EnumSource(Backend.class)
class AccountsIT {

  static final String PASSWORD = "correct horse battery staple";

  private final Backend backend;
  private Backend.TestDatabase testDatabase;
  private Database database;
  private MutableClock clock;
  private Audit audit;
  private Accounts accounts;
  private Sessions sessions;

  AccountsIT(Backend backend) {
    this.backend = backend;
  }

  @BeforeEach
  void open() {
    testDatabase = backend.create();
    database = Database.open(testDatabase.config());
    database.migrate();
    clock = new MutableClock(java.time.Instant.parse("2026-12-06T09:00:00Z"));
    SecureRandom random = new SecureRandom();
    audit = new Audit(database.jdbi(), clock);
    accounts = new Accounts(database.jdbi(), new Passwords(random), random, clock, audit);
    sessions = new Sessions(database.jdbi(), random, clock, audit);
  }

  @AfterEach
  void close() {
    database.close();
    testDatabase.close();
  }

  @Test
  void membersAreCreatedOnceByAddressWithEveryProblemAtOnce() {
    User ada = accounts.create("Ada@Example.org", "Ada", PASSWORD, Role.ADMIN, null);
    assertThat(ada.email()).isEqualTo("ada@example.org");
    assertThat(accounts.byEmail("ADA@example.org")).contains(ada);
    assertThatThrownBy(() -> accounts.create("ada@example.org", "", "short", null, null))
        .isInstanceOf(ValidationException.class)
        .satisfies(
            e ->
                assertThat(((ValidationException) e).fieldErrors())
                    .containsKeys("name", "password", "role"));
    assertThat(accounts.count()).isEqualTo(1);
  }

  @Test
  void failuresAskForTheCheckAndSlowDownButNeverLockOutTheRightPassword() {
    accounts.create("ada@example.org", "Ada", PASSWORD, Role.ADMIN, null);
    for (int i = 0; i < Accounts.SLOW_AFTER + 5; i++) {
      Accounts.SignIn failed =
          accounts.signIn("ada@example.org", "wrong password!", "10.0.0.0/24", true);
      assertThat(failed).isInstanceOf(Accounts.SignIn.Failure.class);
      assertThat(((Accounts.SignIn.Failure) failed).slowDown())
          .as("failure %d", i + 1)
          .isEqualTo(
              i + 1 > Accounts.SLOW_AFTER
                  ? Accounts.SLOW_DOWN_STEP.multipliedBy(i + 1 - Accounts.SLOW_AFTER)
                  : Duration.ZERO);
    }
    assertThat(accounts.signIn("ada@example.org", PASSWORD, "10.0.0.0/24", false))
        .as("the right password without the check")
        .isInstanceOf(Accounts.SignIn.NeedsHumanCheck.class);
    assertThat(accounts.signIn("ada@example.org", PASSWORD, "192.0.2.0/24", true))
        .as("the right password with a solved check, from anywhere")
        .isInstanceOf(Accounts.SignIn.Success.class);

    // Failures from one network for many addresses: that network needs the check, others not.
    for (int i = 0; i < Accounts.NETWORK_SLOW_AFTER + 10; i++) {
      accounts.signIn("guess" + i + "@example.org", "wrong password!", "10.9.9.0/24", true);
    }
    assertThat(accounts.needsHumanCheck("someone@example.org", "10.9.9.0/24")).isTrue();
    assertThat(accounts.needsHumanCheck("someone@example.org", "198.51.100.0/24")).isFalse();
    assertThat(accounts.signIn("ada@example.org", PASSWORD, "10.9.9.0/24", true))
        .isInstanceOf(Accounts.SignIn.Success.class);
  }

  @Test
  void usingOneResetLinkEndsEveryOlderOneAndDeactivationEndsThemAll() {
    User ada = accounts.create("ada@example.org", "Ada", PASSWORD, Role.ADMIN, null);
    String older = accounts.startReset("ada@example.org").orElseThrow();
    String newer = accounts.startReset("ada@example.org").orElseThrow();
    accounts.finishReset(newer, "another long passphrase", "203.0.113.5");
    assertThat(accounts.resetUsable(older)).isFalse();
    assertThatThrownBy(() -> accounts.finishReset(older, "an attacker's passphrase", "x"))
        .isInstanceOf(ValidationException.class);

    String pending = accounts.startReset("ada@example.org").orElseThrow();
    accounts.setActive(ada.id(), false, Actor.system("test"));
    accounts.setActive(ada.id(), true, Actor.system("test"));
    assertThat(accounts.resetUsable(pending)).as("deactivation ended it").isFalse();
  }

  @Test
  void aResetLinkWorksOnceEndsSessionsAndIsAudited() {
    User ada = accounts.create("ada@example.org", "Ada", PASSWORD, Role.ADMIN, null);
    Sessions.Created session = sessions.start(ada, null, "203.0.113.5", "test", "user.sign-in");
    assertThat(sessions.find(session.token())).isPresent();
    String token = accounts.startReset("ada@example.org").orElseThrow();
    assertThat(accounts.startReset("nobody@example.org")).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    accounts.finishReset(token, "another long passphrase", "203.0.113.5");
    assertThat(sessions.find(session.token())).as("signed out everywhere").isEmpty();
    assertThatThrownBy(() -> accounts.finishReset(token, "yet another passphrase", "x"))
        .isInstanceOf(ValidationException.class);
    assertThat(audit.latest(10, 0))
        .extracting(Audit.Entry::action)
        .containsExactly("user.password-set", "user.sign-in");
  }

  @Test
  void sessionsExpireWhenIdleAndEndOnSignOut() {
    User ada = accounts.create("ada@example.org", "Ada", PASSWORD, Role.ADMIN, null);
    Sessions.Created first = sessions.start(ada, null, "203.0.113.5", "test", "user.sign-in");
    Sessions.Created second = sessions.start(ada, first.token(), "203.0.113.5", "test", "x");
    assertThat(sessions.find(first.token())).as("replaced at sign-in").isEmpty();
    clock.advance(Sessions.IDLE.plus(Duration.ofMinutes(1)));
    assertThat(sessions.find(second.token())).as("idle too long").isEmpty();
    Sessions.Created third = sessions.start(ada, null, "203.0.113.5", "test", "user.sign-in");
    sessions.end(third.token(), Actor.of(ada, "203.0.113.5"));
    assertThat(sessions.find(third.token())).isEmpty();
  }

  @Test
  void roleChangesAndDeactivationAreAuditedWithTheChange() {
    User ada = accounts.create("ada@example.org", "Ada", PASSWORD, Role.ADMIN, null);
    User bo = accounts.create("bo@example.org", "Bo", PASSWORD, Role.AUTHOR, null);
    Sessions.Created bos = sessions.start(bo, null, "198.51.100.1", "test", "user.sign-in");
    accounts.changeRole(bo.id(), Role.EDITOR, Actor.of(ada, "203.0.113.5"));
    accounts.setActive(bo.id(), false, Actor.of(ada, "203.0.113.5"));
    assertThat(accounts.byId(bo.id()).orElseThrow().role()).isEqualTo(Role.EDITOR);
    assertThat(sessions.find(bos.token())).isEmpty();
    assertThat(audit.latest(10, 0))
        .extracting(Audit.Entry::action, Audit.Entry::detail)
        .startsWith(
            org.assertj.core.groups.Tuple.tuple("user.deactivate", ""),
            org.assertj.core.groups.Tuple.tuple("user.role", "author -> editor"));
  }
}
