package org.memorag.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;

/**
 * A Spark standalone cluster on localhost for tests: one Master and one Worker, each its own JVM
 * started from the Spark jars on the test classpath, on free ports bound to 127.0.0.1, stopped by
 * PID (the Worker's executors with it). Executors get the test classpath through
 * {@code spark.executor.extraClassPath}, so the project's classes reach them without a jar.
 */
public final class StandaloneCluster implements AutoCloseable {
    private static final Pattern ALIVE = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");

    private final ChildProcess master;
    private final ChildProcess worker;
    private final int masterPort;
    private final Path dir;

    private StandaloneCluster(ChildProcess master, ChildProcess worker, int masterPort, Path dir) {
        this.master = master;
        this.worker = worker;
        this.masterPort = masterPort;
        this.dir = dir;
    }

    /** Starts a Master and a Worker with {@code cores} cores and {@code memoryMb} MB. */
    public static StandaloneCluster start(Path dir, int cores, int memoryMb) {
        Path sparkHome = dir.resolve("spark-home");
        try {
            // the Worker's launcher wants SPARK_HOME/jars; the classes come from extraClassPath
            Files.createDirectories(sparkHome.resolve("jars"));
            Files.createDirectories(sparkHome.resolve("conf"));
            Files.createDirectories(dir.resolve("work"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + sparkHome, e);
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SPARK_HOME", sparkHome.toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("SPARK_CONF_DIR", sparkHome.resolve("conf").toString());
        List<String> jvm = new ArrayList<>(jvmArgs());
        jvm.add("-Xmx384m");
        jvm.add("-cp");
        jvm.add(System.getProperty("java.class.path"));
        int port = ChildProcess.freePort();
        int ui = ChildProcess.freePort();
        ChildProcess master = ChildProcess.startJava("spark-master-" + port, jvm,
                List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                        "--port", Integer.toString(port), "--webui-port", Integer.toString(ui)),
                env, dir);
        ChildProcess worker = null;
        try {
            master.awaitReady(() -> ChildProcess.portOpen(port) && ChildProcess.portOpen(ui),
                    Duration.ofSeconds(90), "master listening on " + port);
            worker = ChildProcess.startJava("spark-worker-" + port, jvm,
                    List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                            "--port", Integer.toString(ChildProcess.freePort()),
                            "--webui-port", Integer.toString(ChildProcess.freePort()),
                            "--cores", Integer.toString(cores), "--memory", memoryMb + "m",
                            "--work-dir", dir.resolve("work").toString(),
                            "spark://127.0.0.1:" + port), env, dir);
            ChildProcess w = worker;
            w.awaitReady(() -> aliveWorkers(ui) >= 1, Duration.ofSeconds(90),
                    "worker registered with the master");
        } catch (RuntimeException e) {
            if (worker != null) {
                worker.close();
            }
            master.close();
            throw e;
        }
        return new StandaloneCluster(master, worker, port, dir);
    }

    public String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /**
     * A session on this cluster: executors get the test classpath, the project's JVM flags
     * (scripts/jvm.args) and one native thread per task; the driver binds to 127.0.0.1.
     */
    public SparkSession.Builder sessionBuilder(int executorMemoryMb) {
        String jvmFlags = "@" + LocalSpark.projectDir().resolve("scripts/jvm.args")
                + " -Djava.io.tmpdir=" + dir.resolve("work");
        return LocalSpark.builder(masterUrl())
                .config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .config("spark.executor.extraJavaOptions", jvmFlags)
                .config("spark.executor.memory", executorMemoryMb + "m")
                .config("spark.executorEnv.OMP_NUM_THREADS", "1")
                .config("spark.executorEnv.DJL_CACHE_DIR",
                        LocalSpark.buildDir().resolve("djl-cache").toString())
                .config("spark.cores.max", "2");
    }

    public long masterPid() {
        return master.pid();
    }

    public long workerPid() {
        return worker.pid();
    }

    /** The Worker's log plus the executors' stderr, for a failing test's message. */
    public String logs() {
        StringBuilder sb = new StringBuilder(worker.tail());
        try (var files = Files.walk(dir.resolve("work"))) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.endsWith("stderr"))::iterator) {
                List<String> lines = Files.readAllLines(p);
                sb.append("\n--- ").append(p).append('\n').append(String.join("\n",
                        lines.subList(Math.max(0, lines.size() - 40), lines.size())));
            }
        } catch (IOException e) {
            sb.append("\n(executor logs unreadable: ").append(e.getMessage()).append(')');
        }
        return sb.toString();
    }

    @Override
    public void close() {
        try {
            worker.close();
        } finally {
            master.close();
        }
    }

    private static int aliveWorkers(int uiPort) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + uiPort + "/json/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher m = ALIVE.matcher(r.body());
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** The flags of scripts/jvm.args (the add-opens Spark needs on Java 17). */
    private static List<String> jvmArgs() {
        return List.of("@" + LocalSpark.projectDir().resolve("scripts/jvm.args"));
    }

}
