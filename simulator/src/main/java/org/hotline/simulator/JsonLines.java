package org.hotline.simulator;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import org.hotline.events.CallEvent;
import org.hotline.events.EventWriter;
import org.hotline.events.TicketEvent;

/** Writes a generated month as JSON lines, {@code calls.jsonl} and {@code tickets.jsonl}, for inspection or `./hotline produce`. */
public final class JsonLines {
    private JsonLines() {}

    public static void write(MonthSimulator.Month month, Path dir, ZoneId zone) throws IOException {
        Files.createDirectories(dir);
        EventWriter writer = new EventWriter(zone);
        try (BufferedWriter out = Files.newBufferedWriter(dir.resolve("calls.jsonl"), StandardCharsets.UTF_8)) {
            for (CallEvent e : month.calls()) {
                out.write(writer.write(e));
                out.newLine();
            }
        }
        try (BufferedWriter out = Files.newBufferedWriter(dir.resolve("tickets.jsonl"), StandardCharsets.UTF_8)) {
            for (TicketEvent e : month.tickets()) {
                out.write(writer.write(e));
                out.newLine();
            }
        }
    }
}
