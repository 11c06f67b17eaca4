package org.broadsheet.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.broadsheet.support.Managed;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering written as a test, so it cannot drift again (CONTRIBUTING.md, "Layout"): the
 * foundation knows no feature, no package depends on itself through others, SQL lives in stores
 * (package-private, in the packages listed so far), only the application touches the command line,
 * and whatever starts threads is started and stopped by the lifecycle.
 */
class ArchitectureTest {

  static final String[] FOUNDATION = {
    "org.broadsheet.config..",
    "org.broadsheet.support..",
    "org.broadsheet.storage..",
    "org.broadsheet.web.."
  };

  static final String[] FEATURES = {
    "org.broadsheet.site..",
    "org.broadsheet.account..",
    "org.broadsheet.captcha..",
    "org.broadsheet.mail..",
    "org.broadsheet.media..",
    "org.broadsheet.newsroom..",
    "org.broadsheet.comment..",
    "org.broadsheet.article..",
    "org.broadsheet.embed..",
    "org.broadsheet.live..",
    "org.broadsheet.search..",
    "org.broadsheet.feed..",
    "org.broadsheet.newsletter..",
    "org.broadsheet.importer..",
    "org.broadsheet.integration..",
    "org.broadsheet.demo..",
    "org.broadsheet.app..",
    "org.broadsheet.cli.."
  };

  static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.broadsheet");
  }

  @Test
  void theFoundationImportsNoFeature() {
    check(
        noClasses()
            .that()
            .resideInAnyPackage(FOUNDATION)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(FEATURES)
            .because("config, support, storage and web are what features stand on"));
  }

  @Test
  void theSiteImportsNoFeature() {
    check(
        noClasses()
            .that()
            .resideInAPackage("org.broadsheet.site..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                java.util.Arrays.stream(FEATURES)
                    .filter(p -> !p.equals("org.broadsheet.site.."))
                    .toArray(String[]::new))
            .because("every feature draws its pages in the site's frame"));
  }

  @Test
  void noPackageDependsOnItselfThroughOthers() {
    check(slices().matching("org.broadsheet.(*)..").should().beFreeOfCycles());
  }

  @Test
  void onlyTheApplicationTouchesTheCommandLine() {
    check(
        noClasses()
            .that()
            .resideOutsideOfPackages("org.broadsheet.app..", "org.broadsheet.cli..")
            .and()
            .doNotHaveFullyQualifiedName("org.broadsheet.Main")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.broadsheet.cli.."));
  }

  @Test
  void sqlLivesOnlyInStores() {
    check(
        classes()
            .that()
            .haveSimpleNameNotEndingWith("Store")
            .and()
            .resideOutsideOfPackage("org.broadsheet.storage..")
            .should(runNoSql())
            .because("SQL lives in store classes that take the caller's handle"));
  }

  /** Calls that send SQL: JDBI's statements and plain JDBC ones. */
  static ArchCondition<JavaClass> runNoSql() {
    return new ArchCondition<>("run no SQL") {
      @Override
      public void check(JavaClass c, ConditionEvents events) {
        for (JavaAccess<?> call : c.getAccessesFromSelf()) {
          String owner = call.getTargetOwner().getName();
          String name = call.getName();
          boolean sql =
              (owner.equals("org.jdbi.v3.core.Handle")
                      && java.util.Set.of(
                              "createQuery",
                              "createUpdate",
                              "createBatch",
                              "prepareBatch",
                              "createCall",
                              "createScript",
                              "execute",
                              "select")
                          .contains(name))
                  || (owner.startsWith("java.sql.")
                      && java.util.Set.of(
                              "createStatement",
                              "prepareStatement",
                              "executeQuery",
                              "executeUpdate")
                          .contains(name));
          if (sql) {
            events.add(SimpleConditionEvent.violated(c, call.getDescription()));
          }
        }
      }
    };
  }

  @Test
  void servicesAndStoresKnowNoHttp() {
    check(
        noClasses()
            .that()
            .haveSimpleNameEndingWith("Service")
            .or()
            .haveSimpleNameEndingWith("Store")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.javalin..", "org.eclipse.jetty.."));
  }

  @Test
  void storesArePackagePrivate() {
    check(
        classes()
            .that()
            .haveSimpleNameEndingWith("Store")
            .should()
            .notBePublic()
            .because("a feature's tables are reached through its services"));
  }

  @Test
  void whateverStartsThreadsIsManagedByTheLifecycle() {
    check(
        classes()
            .that(startThreads())
            .and()
            .resideOutsideOfPackage("org.broadsheet.cli..")
            .should()
            .beAssignableTo(Managed.class)
            .because("the lifecycle starts them in order and stops every thread on close"));
  }

  /** Classes that make threads or executors. */
  static DescribedPredicate<JavaClass> startThreads() {
    return new DescribedPredicate<>("start threads") {
      @Override
      public boolean test(JavaClass c) {
        return c.getMethodCallsFromSelf().stream().anyMatch(ArchitectureTest::makesThreads)
            || c.getConstructorCallsFromSelf().stream()
                .anyMatch(call -> call.getTargetOwner().isAssignableTo(Thread.class));
      }
    };
  }

  static boolean makesThreads(JavaAccess<?> call) {
    String owner = call.getTargetOwner().getName();
    String name = call.getName();
    return (owner.equals("java.util.concurrent.Executors") && name.startsWith("new"))
        || (owner.equals("java.lang.Thread")
            && (name.equals("ofPlatform") || name.equals("ofVirtual")));
  }

  private static void check(ArchRule rule) {
    rule.check(classes);
  }
}
