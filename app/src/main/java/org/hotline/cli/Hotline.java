package org.hotline.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.hotline.assessment.AssessmentCsv;
import org.hotline.jobs.RunCommand;
import org.hotline.simulator.MonthSimulator;
import org.hotline.simulator.Profile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The hotline command line; {@code ./hotline} runs it (and adds {@code test}, which needs no JVM of ours). */
@Command(
        name = "hotline",
        mixinStandardHelpOptions = true,
        version = "hotline 0.1.0",
        description =
                "Live, exact figures from a 12345 hotline's call and ticket events: Kafka -> Flink -> ClickHouse.",
        subcommands = {
            DemoCommand.class,
            WallboardCommand.class,
            SubmitCommand.class,
            BenchCommand.class,
            ReplayCommand.class,
            RebuildCommand.class,
            ReportCommand.class,
            AlertsCommand.class,
            AssessCommand.class,
            OfficeInputsCommand.class,
            SimulateCommand.class,
            RunCommand.class,
            MigrateCommand.class,
            ProduceCommand.class,
            CommandLine.HelpCommand.class
        })
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
        @Option(
                names = "--work-dir",
                defaultValue = "var",
                description = "Where local servers keep their data and logs (default: ${DEFAULT-VALUE}).")
        Path workDir;

        @Option(names = "--clickhouse-url", description = "Use this ClickHouse instead of a local one.")
        String clickhouseUrl;
    }

    /** The months to simulate: profiles of consecutive months, and the seed that makes them the same every time. */
    static final class ProfileOptions {
        @Option(
                names = "--profile",
                required = true,
                paramLabel = "PROFILE",
                description = "A shipped profile (e.g. xiangtan-2023-09), a folder with month.json and units.csv, or a "
                        + "folder of such folders. Repeat it for consecutive months (--profile A --profile B): tickets "
                        + "and callbacks then cross each month's end.")
        List<String> profiles;

        @Option(
                names = "--seed",
                defaultValue = "2023",
                description = "Seed: the same seed gives the same events (default: ${DEFAULT-VALUE}).")
        long seed;

        /** The profiles named, a folder of month folders opened, in month order. */
        List<Profile> load() {
            List<Profile> out = new ArrayList<>();
            for (String p : profiles) {
                Path dir = Path.of(p);
                if (Files.isDirectory(dir) && !Files.exists(dir.resolve("month.json"))) {
                    try (Stream<Path> months = Files.list(dir)) {
                        months.filter(m -> Files.exists(m.resolve("month.json")))
                                .sorted()
                                .forEach(m -> out.add(Profile.load(m.toString())));
                    } catch (IOException e) {
                        throw new UncheckedIOException("could not read " + dir + ": " + e.getMessage(), e);
                    }
                } else {
                    out.add(Profile.load(p));
                }
            }
            if (out.isEmpty()) {
                throw new IllegalArgumentException("no profile in " + profiles);
            }
            out.sort(Comparator.comparing(Profile::month));
            return out;
        }

        /** The months' events, one stream (consecutive months carry tickets and callbacks over). */
        static MonthSimulator.Month generate(List<Profile> months, long seed) {
            return MonthSimulator.Month.concat(MonthSimulator.sequence(months, seed));
        }

        /** How the months are named: 2024-03, or 2024-03-to-2024-04. */
        static String span(List<Profile> months) {
            YearMonth first = months.get(0).month();
            YearMonth last = months.get(months.size() - 1).month();
            return first.equals(last) ? first.toString() : first + "-to-" + last;
        }
    }
}
