package org.hotline.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.hotline.jobs.calls.CallFlow;
import org.hotline.jobs.tickets.FactKind;

/**
 * The figures the counting operators keep, in their order: the layout of the arrays in their state. A figure added
 * (or one taken away) changes it, and a checkpoint of the layout before cannot be resumed: its arrays are one figure
 * short, and the new figure would have nothing for the past. Each run records the layout beside its checkpoints
 * ({@code <checkpoint dir>/<job id>/figures}); a resume from a checkpoint whose run recorded another is refused.
 */
public final class FigureLayout {
    static final String FILE = "figures";

    private FigureLayout() {}

    /** This build's layout: the ticket figures (one per {@link FactKind}), then the call figures. */
    public static String current() {
        return "tickets: "
                + String.join(
                        ",",
                        Arrays.stream(FactKind.values()).map(FactKind::column).toList())
                + "\ncalls: " + String.join(",", CallFlow.VALUE_COLUMNS) + "\n";
    }

    /** Records this build's layout for the run whose checkpoints go to {@code jobFolder}. */
    public static void record(Path jobFolder) {
        try {
            Files.createDirectories(jobFolder);
            Files.writeString(jobFolder.resolve(FILE), current(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not record the figures' layout in " + jobFolder, e);
        }
    }

    /**
     * How the figures of the run that took {@code checkpoint} (a chk-N folder) differ from this build's, in words, or
     * null when they are the same or the run recorded none (a savepoint elsewhere, or a run before this check).
     */
    public static String changedSince(Path checkpoint) {
        Path file = checkpoint.toAbsolutePath().getParent().resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        String then;
        try {
            then = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
        if (then.equals(current())) {
            return null;
        }
        List<String> was = columns(then);
        List<String> now = columns(current());
        List<String> added = new ArrayList<>(now);
        added.removeAll(was);
        List<String> gone = new ArrayList<>(was);
        gone.removeAll(now);
        List<String> words = new ArrayList<>();
        if (!added.isEmpty()) {
            words.add("this build adds " + String.join(", ", added));
        }
        if (!gone.isEmpty()) {
            words.add("no longer counts " + String.join(", ", gone));
        }
        return words.isEmpty() ? "this build counts the same figures in another order" : String.join(" and ", words);
    }

    private static List<String> columns(String layout) {
        List<String> out = new ArrayList<>();
        for (String line : layout.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                String part = line.substring(0, colon).trim();
                for (String c : line.substring(colon + 1).trim().split(",")) {
                    out.add(part + "." + c);
                }
            }
        }
        return out;
    }
}
