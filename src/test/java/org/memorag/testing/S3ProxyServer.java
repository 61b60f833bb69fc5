package org.memorag.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * A real S3 API server on 127.0.0.1 for tests: S3Proxy 4.1.0 (jar-with-dependencies, run as its
 * own JVM because 4.x clashes with Spark's Jetty/Jackson) over a filesystem-nio2 blob store in
 * the build dir. Credentials are random per run. Stopped by PID on {@link #close()}.
 */
public final class S3ProxyServer implements AutoCloseable {
    private static final String JAR = "s3proxy-4.1.0-jar-with-dependencies.jar";

    private final ChildProcess process;
    private final int port;
    private final String accessKey;
    private final String secretKey;

    private S3ProxyServer(ChildProcess process, int port, String accessKey, String secretKey) {
        this.process = process;
        this.port = port;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /** Starts S3Proxy with its blobs under {@code dataDir} and creates {@code buckets}. */
    public static S3ProxyServer start(Path dataDir, String... buckets) {
        int port = ChildProcess.freePort();
        String access = "test-" + UUID.randomUUID().toString().substring(0, 8);
        String secret = UUID.randomUUID().toString();
        Properties p = new Properties();
        p.setProperty("s3proxy.endpoint", "http://127.0.0.1:" + port);
        p.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        p.setProperty("s3proxy.identity", access);
        p.setProperty("s3proxy.credential", secret);
        p.setProperty("jclouds.provider", "filesystem-nio2");
        p.setProperty("jclouds.filesystem.basedir", dataDir.resolve("blobs").toString());
        Path conf = dataDir.resolve("s3proxy.properties");
        try {
            Files.createDirectories(dataDir.resolve("blobs"));
            try (var out = Files.newOutputStream(conf)) {
                p.store(out, "S3ProxyServer (test harness)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + conf, e);
        }
        ChildProcess proc = ChildProcess.startJava("s3proxy-" + port,
                List.of("-Xmx256m", "-Djava.io.tmpdir=" + dataDir),
                List.of("-jar", jar().toString(), "--properties", conf.toString()), Map.of(),
                dataDir);
        S3ProxyServer server = new S3ProxyServer(proc, port, access, secret);
        try {
            proc.awaitReady(() -> ChildProcess.portOpen(port), ChildProcess.seconds(60),
                    "listening on 127.0.0.1:" + port);
            try (S3Client s3 = server.client()) {
                for (String b : buckets) {
                    s3.createBucket(r -> r.bucket(b));
                }
            }
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** The jar: copied by the build to target/s3proxy, else from the local Maven repository. */
    static Path jar() {
        Path copied = LocalSpark.buildDir().resolve("s3proxy").resolve(JAR);
        if (Files.isRegularFile(copied)) {
            return copied;
        }
        Path m2 = Path.of(System.getProperty("user.home"), ".m2", "repository", "org", "gaul",
                "s3proxy", "4.1.0", JAR);
        if (Files.isRegularFile(m2)) {
            return m2;
        }
        throw new IllegalStateException("S3Proxy jar not found at " + copied + " or " + m2
                + "; run 'mvn verify' (online once) so maven-dependency-plugin copies it");
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    /** The S3A settings (Hadoop keys, without the spark.hadoop. prefix) for this server. */
    public Map<String, String> s3aSettings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("fs.s3a.endpoint", endpoint());
        m.put("fs.s3a.path.style.access", "true");
        m.put("fs.s3a.connection.ssl.enabled", "false");
        m.put("fs.s3a.endpoint.region", "us-east-1");
        m.put("fs.s3a.aws.credentials.provider",
                "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
        m.put("fs.s3a.access.key", accessKey);
        m.put("fs.s3a.secret.key", secretKey);
        return m;
    }

    /** An AWS SDK client for this server (the caller closes it). */
    public S3Client client() {
        return S3Client.builder().endpointOverride(URI.create(endpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(accessKey, secretKey)))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true)
                        .build())
                .build();
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.close();
    }
}
