package org.memorag.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.memorag.rag.config.MemoragConfig;
import picocli.CommandLine.Option;

/** The configuration flags every command shares: {@code --conf FILE} and {@code --set K=V}. */
final class ConfigOptions {
    @Option(names = "--conf", paramLabel = "FILE",
            description = "properties file with memorag keys (see conf/memorag.properties);"
                    + " repeatable, later files win. Without it: the embedded CPU setup")
    List<Path> files = new ArrayList<>();

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "override one key, e.g. --set retrieve.hits=5; wins over --conf")
    List<String> overrides = new ArrayList<>();

    MemoragConfig build() {
        MemoragConfig.Builder b = MemoragConfig.builder();
        for (Path f : files) {
            b.properties(f);
        }
        for (String kv : overrides) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--set takes KEY=VALUE, got '" + kv + "'");
            }
            b.set(kv.substring(0, eq).trim(), kv.substring(eq + 1));
        }
        return b.build();
    }
}
