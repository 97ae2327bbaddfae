package org.hotline.cli;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.hotline.config.ConfigOption;
import org.hotline.config.HotlineConfig;
import org.hotline.deploy.LocalKafka;
import org.hotline.jobs.JobLauncher;
import org.hotline.jobs.io.KafkaSources;
import org.hotline.report.OfficeInputs;
import org.hotline.simulator.KafkaPlayback;
import org.hotline.simulator.MonthSimulator;
import org.hotline.simulator.Profile;
import org.hotline.sql.ClickHouseSql;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description =
                "Run the whole system on this machine: a Kafka broker, a ClickHouse server and the job, on the "
                        + "embedded defaults, with a simulated month playing live. Runs until Ctrl-C, then stops everything it started.")
final class DemoCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Mixin
    Hotline.ServerOptions servers;

    @Option(
            names = "--profile",
            defaultValue = "xiangtan-2023-09",
            description = "The month to play live (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(
            names = "--speed",
            defaultValue = "60",
            description = "Times real time: 60 plays an hour of the month a minute (default: ${DEFAULT-VALUE}).")
    double speed;

    @Option(names = "--no-traffic", description = "Play nothing: send your own events with ./hotline produce.")
    boolean noTraffic;

    @Option(
            names = "--start-day",
            description = "The day of the month the live play starts on (default: its first working "
                    + "day); what comes before is sent at once, so the board starts busy.")
    Integer startDay;

    @Option(
            names = "--start-hour",
            defaultValue = "9",
            description = "The hour the live play starts at (default: ${DEFAULT-VALUE}, " + "office hours).")
    int startHour;

    @Option(
            names = "--database",
            defaultValue = "hotline_demo",
            description =
                    "The ClickHouse database of the demo, emptied at each start so the month plays from its first day "
                            + "(default: ${DEFAULT-VALUE}; replays and reports use their own, 'hotline').")
    String database;

    @Override
    public Integer call() throws Exception {
        HotlineConfig c = config.load();
        CountDownLatch stopped = new CountDownLatch(1);
        try (LocalRuntime runtime = LocalRuntime.clickhouse(c, servers.workDir, servers.clickhouseUrl)
                .kafka(c, servers.workDir, null, true)
                .alertmanager(c, servers.workDir)) {
            LocalKafka.createTopics(
                    c.kafka.bootstrapServers,
                    Map.of(c.kafka.callsTopic, 2, c.kafka.ticketsTopic, 2, c.kafka.alertsTopic, 1));
            c.clickhouse.database = database;
            // A group (and so a checkpoint folder) of its own: `run` must never resume from the demo's state.
            c.kafka.groupId = "hotline-demo";
            try (ClickHouseSql ch = new ClickHouseSql(c.clickhouse.url, c.clickhouse.user, c.clickhouse.password)) {
                ch.execute("DROP DATABASE IF EXISTS " + ClickHouseSql.database(database));
            }
            JobLauncher.migrate(c.clickhouse, System.out::println);
            MonthSimulator.Month month = noTraffic ? null : month(c);
            WallboardCommand.Running wallboard = WallboardCommand.start(c); // first: a taken port fails at once
            System.out.println("Starting the job...");
            JobClient job = JobLauncher.start(
                    StreamExecutionEnvironment.getExecutionEnvironment(),
                    c,
                    KafkaSources.Reading.LIVE,
                    System.out::println);
            Thread traffic = noTraffic ? null : traffic(c, month);
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                System.out.println("\nStopping the traffic, the job, Kafka and ClickHouse...");
                                if (traffic != null) {
                                    traffic.interrupt();
                                }
                                wallboard.close();
                                job.cancel().join();
                                stopped.countDown();
                            },
                            "demo-shutdown"));
            System.out.printf(
                    """

                    The hotline pipeline is running.
                      Wallboard   %s   (open it in a browser)
                      Kafka       %s   topics: %s, %s
                      ClickHouse  %s   database: %s   (user default; read-only user hotline_reader)
                      Flink job   %s
                      Traffic     %s
                    Alertmanager  %s   the alerts arrive there as the month plays (routes, silences: deploy/alertmanager/)

                    Send events:  ./hotline produce --bootstrap-servers %s --topic %s deploy/sample-events/calls.jsonl
                    Query:        curl '%s/?user=hotline_reader' --data-binary 'SELECT * FROM %s.city_daily WHERE dimension = ''all'''
                    Press Ctrl-C to stop.
                    """,
                    wallboard.url(),
                    c.kafka.bootstrapServers,
                    c.kafka.callsTopic,
                    c.kafka.ticketsTopic,
                    c.clickhouse.url,
                    c.clickhouse.database,
                    job.getJobID(),
                    noTraffic
                            ? "none (--no-traffic)"
                            : profile + " played live from " + startOf(month).toLocalDateTime()
                                    + " (what comes before it sent at once) at " + speed
                                    + " times real time; --start-day, "
                                    + "--start-hour and --speed change it",
                    c.alerts.alertmanagerUrl,
                    c.kafka.bootstrapServers,
                    c.kafka.callsTopic,
                    c.clickhouse.url,
                    c.clickhouse.database);
            stopped.await();
        }
        System.out.println("Stopped.");
        return 0;
    }

    /** The profile's month, with its units and office inputs loaded first (the alert rules read the units' groups). */
    private MonthSimulator.Month month(HotlineConfig c) {
        Profile p = Profile.load(profile);
        try (ClickHouseSql ch = new ClickHouseSql(c.clickhouse.url, c.clickhouse.user, c.clickhouse.password)) {
            OfficeInputs.load(ch, c.clickhouse.database, p);
        }
        return new MonthSimulator(p, 2023).generate();
    }

    /** When the live play starts: the chosen day (else the month's first working day) at the chosen hour. */
    ZonedDateTime startOf(MonthSimulator.Month month) {
        Profile p = month.profile();
        LocalDate day = p.month().atDay(1);
        while (startDay == null
                && (day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY)) {
            day = day.plusDays(1);
        }
        if (startDay != null) {
            day = p.month().atDay(startDay);
        }
        return day.atTime(startHour, 0).atZone(p.zone());
    }

    /** Plays the month into Kafka in the background: up to the start at once, then at the chosen speed. */
    private Thread traffic(HotlineConfig c, MonthSimulator.Month month) {
        Profile p = month.profile();
        long start = startOf(month).toInstant().toEpochMilli();
        Thread t = new Thread(
                () -> {
                    try {
                        KafkaPlayback playback = new KafkaPlayback(
                                c.kafka.clientProperties(),
                                c.kafka.bootstrapServers,
                                c.kafka.callsTopic,
                                c.kafka.ticketsTopic,
                                p.zone());
                        playback.play(month.between(Long.MIN_VALUE, start), 0, s -> {});
                        playback.play(month.between(start, Long.MAX_VALUE), speed, s -> {});
                        System.out.println("The simulated month has been played to its end.");
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException e) {
                        System.err.println("The simulated traffic stopped: " + e.getMessage());
                    }
                },
                "demo-traffic");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
