package org.hotline.jobs;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The job jar's entry point, for a Flink cluster: {@code flink run hotline-job.jar run --config FILE --detach}.
 * The jar holds the job and nothing else; the tools (demo, replay, report, bench, ...) are the {@code hotline}
 * command line of the app module, which offers the same {@code run}.
 */
@Command(
        name = "hotline-job",
        mixinStandardHelpOptions = true,
        description = "The hotline's Flink job.",
        subcommands = {RunCommand.class, CommandLine.HelpCommand.class})
public final class JobMain implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new JobMain()).execute(args));
    }
}
