package org.memorag.testing;

import java.nio.file.Path;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A hermetic local Spark session for tests: {@code local[2]}, UI off, bound to 127.0.0.1, local
 * and warehouse dirs under the build dir, few shuffle partitions. As a JUnit 5 extension it
 * starts one session per test class and injects it as a {@link SparkSession} parameter.
 */
public final class LocalSpark implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS =
            ExtensionContext.Namespace.create(LocalSpark.class);

    /** The build directory (surefire/failsafe pass it; "target" when run from the IDE). */
    public static Path buildDir() {
        return Path.of(System.getProperty("memorag.build.dir", "target")).toAbsolutePath();
    }

    /** The project directory. */
    public static Path projectDir() {
        return Path.of(System.getProperty("memorag.project.dir", ".")).toAbsolutePath();
    }

    /** A builder with the hermetic settings for {@code master}, e.g. "local[2]". */
    public static SparkSession.Builder builder(String master) {
        Path build = buildDir();
        return SparkSession.builder().master(master).appName("memorag-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.local.dir", build.resolve("spark-local").toString())
                .config("spark.sql.warehouse.dir", build.resolve("spark-warehouse").toString())
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.default.parallelism", "4")
                .config("spark.sql.session.timeZone", "UTC");
    }

    /** A new local[2] session with {@code extra} settings. */
    public static SparkSession start(Map<String, String> extra) {
        SparkSession.Builder b = builder("local[2]");
        extra.forEach(b::config);
        return b.getOrCreate();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NS).put(SparkSession.class, start(Map.of()));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        SparkSession spark = context.getStore(NS).remove(SparkSession.class, SparkSession.class);
        if (spark != null) {
            spark.stop();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == SparkSession.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        SparkSession spark = e.getStore(NS).get(SparkSession.class, SparkSession.class);
        if (spark == null) {
            spark = e.getRoot().getStore(NS).get(SparkSession.class, SparkSession.class);
        }
        if (spark == null) {
            throw new IllegalStateException("LocalSpark: no session; register the extension on"
                    + " the test class with @ExtendWith(LocalSpark.class)");
        }
        return spark;
    }
}
