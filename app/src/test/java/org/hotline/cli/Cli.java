package org.hotline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Runs the hotline command line in this JVM, as `./hotline` would, capturing what it prints. */
final class Cli {
    private Cli() {}

    /** The exit code; the error output goes to {@code err}. */
    static int run(ByteArrayOutputStream err, String... args) {
        CommandLine cli = Hotline.commandLine();
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    /** What a command that must succeed prints on standard output; when it fails, what it said is in the failure. */
    static String stdout(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            CommandLine cli = Hotline.commandLine();
            cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
            int exit = cli.execute(args);
            assertThat(exit)
                    .as(
                            "exit code of %s; it said:%n%s%n%s",
                            String.join(" ", args),
                            captured.toString(StandardCharsets.UTF_8),
                            err.toString(StandardCharsets.UTF_8))
                    .isZero();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
