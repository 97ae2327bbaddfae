package org.hotline.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class JvmWorkTest {

    /** A thread's CPU, read while it runs, still counts once it has ended (Linux forgets an ended thread's). */
    @Test
    void aThreadThatEndedKeepsTheCpuItUsed() throws Exception {
        assertThat(PipelineRun.threadsCpuMillis("test-busy", n -> n.equals("bench-busy")))
                .isZero();
        CountDownLatch spun = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        Thread busy = new Thread(
                () -> {
                    // 200 ms of this thread's own CPU, however busy the machine is
                    long x = 0;
                    while (ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() < 200_000_000L) {
                        x += Long.numberOfTrailingZeros(x + 1);
                    }
                    spun.countDown();
                    try {
                        done.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "bench-busy");
        busy.start();
        spun.await();
        long whileRunning = PipelineRun.threadsCpuMillis("test-busy", n -> n.equals("bench-busy"));
        done.countDown();
        busy.join();
        // Linux's entry for the thread goes soon after it ends
        await().atMost(Duration.ofSeconds(10)).until(() -> !threadListed("bench-busy"));
        long afterItEnded = PipelineRun.threadsCpuMillis("test-busy", n -> n.equals("bench-busy"));
        assertThat(whileRunning).as("read from /proc while it runs").isGreaterThanOrEqualTo(150);
        assertThat(afterItEnded).as("kept after it ended").isGreaterThanOrEqualTo(whileRunning);
    }

    private static boolean threadListed(String name) throws Exception {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.anyMatch(t -> {
                try {
                    return Files.readString(t.resolve("comm")).strip().equals(name);
                } catch (java.io.IOException gone) {
                    return false;
                }
            });
        }
    }
}
