package org.switchboard.asterisk;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The package rules of the ARI adapters (ARCHITECTURE.md, "ARI (asterisk)"). */
@AnalyzeClasses(packages = "org.switchboard.asterisk", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageRulesTest {
  private static final String ASTERISK = "org.switchboard.asterisk.";

  static {
    // ArchUnit traces every class it imports at DEBUG (thousands of lines). Set here, not in a
    // logback-test.xml: this module's test jar is on the demo's runtime classpath.
    if (org.slf4j.LoggerFactory.getLogger("com.tngtech.archunit")
        instanceof ch.qos.logback.classic.Logger archUnit) {
      archUnit.setLevel(ch.qos.logback.classic.Level.INFO);
    }
  }

  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching(ASTERISK + "(**)").namingSlices("asterisk.$1").should().beFreeOfCycles();

  /** The adapters see the engine only through its ports, never its actors or interpreter. */
  @ArchTest
  static final ArchRule engineOnlyThroughPorts =
      noClasses().that().resideInAPackage("org.switchboard.asterisk..")
          .should().dependOnClassesThat(resideInAPackage("org.switchboard.engine..")
              .and(not(resideInAPackage("org.switchboard.engine.port.."))))
          .as("asterisk depends on the engine only through engine.port");

  /** The simulator is a fake Asterisk for tests and the demo: no adapter reaches into it. */
  @ArchTest
  static final ArchRule adaptersDoNotUseTheSimulator =
      noClasses().that().resideInAnyPackage(ASTERISK + "ari..", ASTERISK + "client..", ASTERISK + "router..")
          .should().dependOnClassesThat().resideInAPackage(ASTERISK + "sim..");

  /** Neither the adapters nor the simulator know the HTTP API module. */
  @ArchTest
  static final ArchRule noHttpApi =
      noClasses().should().dependOnClassesThat().resideInAPackage("org.switchboard.http..");
}
