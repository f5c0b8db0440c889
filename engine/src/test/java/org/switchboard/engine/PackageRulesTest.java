package org.switchboard.engine;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.net.URI;
import java.util.Set;

/**
 * The package rules of ARCHITECTURE.md ("Call runtime (engine)"), checked on the compiled main
 * classes of the engine: every package depends only on the packages below it.
 */
@AnalyzeClasses(packages = "org.switchboard.engine", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageRulesTest {
  private static final String ENGINE = "org.switchboard.engine.";

  /** Each package of the engine is a slice; no two of them depend on each other. */
  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching(ENGINE + "(**)").namingSlices("engine.$1").should().beFreeOfCycles();

  /**
   * The hotline core: {@code call} (the inbound call) and {@code ring} (the outbound legs) meet
   * only in {@code protocol}; {@code hotline} wires them, {@code cluster} serializes their
   * messages; nothing depends on those two.
   */
  @ArchTest
  static final ArchRule layers =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("hotline").definedBy(ENGINE + "hotline..")
          .layer("cluster").definedBy(ENGINE + "cluster..")
          .layer("store").definedBy(ENGINE + "store..")
          .layer("call").definedBy(ENGINE + "call..")
          .layer("ring").definedBy(ENGINE + "ring..")
          .layer("queue").definedBy(ENGINE + "queue..")
          .layer("conference").definedBy(ENGINE + "conference..")
          .layer("protocol").definedBy(ENGINE + "protocol..")
          .layer("script").definedBy(ENGINE + "script..")
          .layer("port").definedBy(ENGINE + "port..")
          .layer("twiml").definedBy(ENGINE + "twiml..")
          .whereLayer("hotline").mayNotBeAccessedByAnyLayer()
          .whereLayer("cluster").mayNotBeAccessedByAnyLayer()
          .whereLayer("store").mayNotBeAccessedByAnyLayer()
          .whereLayer("call").mayOnlyBeAccessedByLayers("hotline", "store", "cluster")
          .whereLayer("ring").mayOnlyBeAccessedByLayers("hotline", "cluster")
          .whereLayer("queue").mayOnlyBeAccessedByLayers("ring", "hotline", "cluster")
          .whereLayer("conference").mayOnlyBeAccessedByLayers("hotline", "cluster")
          .whereLayer("protocol")
          .mayOnlyBeAccessedByLayers("call", "ring", "queue", "conference", "hotline", "cluster",
              "store")
          .whereLayer("script").mayOnlyBeAccessedByLayers("call", "hotline", "cluster");

  /**
   * The interpreter is pure: TwiML, values and the JDK's value types in, values out. No actor, no
   * logger, no future, no port it could call; of the port layer only the value types it names in
   * its effects.
   */
  @ArchTest
  static final ArchRule scriptIsPure =
      classes().that().resideInAPackage(ENGINE + "script..")
          .should().onlyDependOnClassesThat(
              resideInAnyPackage(ENGINE + "script..", ENGINE + "twiml..", "java.lang", "java.lang.invoke",
                  "java.lang.runtime", "java.util", "java.util.function", "java.util.stream",
                  "java.util.regex", "java.time..", "java.nio.charset")
                  .or(belongToAnyOf(URI.class))
                  .or(portValueTypes()))
          .as("script depends only on twiml, the JDK's value types and port value types");

  /** The TwiML model and parser know nothing of ports, scripts or calls. */
  @ArchTest
  static final ArchRule twimlIsFreeOfPorts =
      noClasses().that().resideInAPackage(ENGINE + "twiml..")
          .should().dependOnClassesThat(
              resideInAPackage("org.switchboard..").and(not(resideInAPackage(ENGINE + "twiml.."))))
          .as("twiml depends on no other package of Switchboard (no ports)");

  /** The engine sees neither HTTP nor JSON nor ARI: adapters in asterisk and http-api do. */
  @ArchTest
  static final ArchRule engineIsFreeOfHttp =
      noClasses().that().resideInAPackage("org.switchboard.engine..")
          .should().dependOnClassesThat().resideInAnyPackage(
              "org.apache.pekko.http..", "java.net.http..", "com.fasterxml.jackson..",
              "org.switchboard.http..", "org.switchboard.asterisk..");

  /**
   * JDBC lives in {@code store} only: the history store reads and writes the database there, and
   * no call, leg or queue ever touches a connection.
   */
  @ArchTest
  static final ArchRule jdbcOnlyInStore =
      noClasses().that().resideInAPackage("org.switchboard.engine..")
          .and().resideOutsideOfPackage(ENGINE + "store..")
          .should().dependOnClassesThat().resideInAnyPackage(
              "java.sql..", "javax.sql..", "com.zaxxer.hikari..", "org.h2..", "org.postgresql..")
          .as("only engine.store uses JDBC");

  private static DescribedPredicate<JavaClass> portValueTypes() {
    Set<String> names = Set.of(
        ENGINE + "port.HangupReason",
        ENGINE + "port.AriPort$RecordRequest",
        ENGINE + "port.RecordingLinks",
        ENGINE + "port.Sids");
    return describe("port value types " + names, c -> names.contains(c.getName()));
  }
}
