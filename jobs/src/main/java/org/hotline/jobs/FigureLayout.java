package org.hotline.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

    /** This build's figures, in the order of their arrays: the ticket figures (one per {@link FactKind}), then the calls'. */
    static List<String> columns() {
        List<String> out = new ArrayList<>();
        for (FactKind k : FactKind.values()) {
            out.add("tickets." + k.column());
        }
        CallFlow.VALUE_COLUMNS.forEach(c -> out.add("calls." + c));
        return out;
    }

    /** This build's layout as recorded: one figure a line. */
    public static String current() {
        return String.join("\n", columns()) + "\n";
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
        List<String> was;
        try {
            was = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
        List<String> now = columns();
        if (was.equals(now)) {
            return null;
        }
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
}
