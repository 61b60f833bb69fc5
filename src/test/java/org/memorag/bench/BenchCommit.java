package org.memorag.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The commit a benchmark ran on, for its table header. */
final class BenchCommit {
    private BenchCommit() {}

    /** {@code git rev-parse --short HEAD} of the project, plus "+dirty" when files changed. */
    static String head() {
        Path project = Path.of(System.getProperty("memorag.project.dir", "."));
        String head = git(project, "rev-parse", "--short", "HEAD");
        if (head == null) {
            return "unknown";
        }
        String status = git(project, "status", "--porcelain", "--untracked-files=no");
        return status == null || status.isEmpty() ? head : head + "+dirty";
    }

    private static String git(Path project, String... args) {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "git";
        cmd[1] = "-C";
        cmd[2] = project.toString();
        System.arraycopy(args, 0, cmd, 3, args.length);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                    .strip();
            return p.waitFor() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
