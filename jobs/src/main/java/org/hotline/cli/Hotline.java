package org.hotline.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.hotline.assessment.AssessmentCsv;
import org.hotline.config.HotlineConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The hotline command line; {@code ./hotline} runs it (and adds {@code test}, which needs no JVM of ours). */
@Command(name = "hotline", mixinStandardHelpOptions = true, version = "hotline 0.1.0",
        description = "Live, exact figures from a 12345 hotline's call and ticket events: Kafka -> Flink -> ClickHouse.",
        subcommands = {DemoCommand.class, WallboardCommand.class, SubmitCommand.class, BenchCommand.class, ReplayCommand.class, ReportCommand.class, AlertsCommand.class, AssessCommand.class,
                OfficeInputsCommand.class,
                SimulateCommand.class,
                RunCommand.class,
                MigrateCommand.class,
                ProduceCommand.class,
                CommandLine.HelpCommand.class})
public final class Hotline implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with its error handling: a clear message, exit code 2 for bad input, 1 for other failures. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Hotline());
        cli.setCaseInsensitiveEnumValuesAllowed(true); // bench --only pipeline
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            // A clear message, not a stack trace, for what a user can fix; the trace with --verbose.
            cmd.getErr().println(cmd.getColorScheme().errorText("hotline: " + e.getMessage()));
            if (Boolean.getBoolean("hotline.verbose")) {
                e.printStackTrace(cmd.getErr());
            }
            return e instanceof AssessmentCsv.BadInput ? 2 : 1; // 2: the input is wrong, as for a usage error
        });
        return cli;
    }

    /** Where the local servers keep their data, or an external ClickHouse to use instead. */
    static final class ServerOptions {
        @Option(names = "--work-dir", defaultValue = "var",
                description = "Where local servers keep their data and logs (default: ${DEFAULT-VALUE}).")
        Path workDir;

        @Option(names = "--clickhouse-url", description = "Use this ClickHouse instead of a local one.")
        String clickhouseUrl;
    }

    /** The month to simulate: a profile, and the seed that makes it the same every time. */
    static final class ProfileOptions {
        @Option(names = "--profile", required = true,
                description = "A shipped profile (e.g. xiangtan-2023-09) or a folder with month.json and units.csv.")
        String profile;

        @Option(names = "--seed", defaultValue = "2023", description = "Seed: the same seed gives the same events (default: ${DEFAULT-VALUE}).")
        long seed;
    }

    /** The --config option, shared by the commands that read the configuration. */
    static final class ConfigOption {
        @Option(names = "--config", paramLabel = "FILE",
                description = "YAML configuration (default: $HOTLINE_CONFIG, else the built-in defaults). "
                        + "HOTLINE_<SECTION>_<KEY> environment variables override it.")
        Path file;

        HotlineConfig load() {
            return HotlineConfig.load(file);
        }
    }
}
