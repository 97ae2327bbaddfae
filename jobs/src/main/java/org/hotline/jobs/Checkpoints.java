package org.hotline.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;

/** The checkpoints the job leaves in its folder: {@code <dir>/<job id>/chk-N/_metadata}, one job after another. */
public final class Checkpoints {
    private Checkpoints() {}

    /** A completed checkpoint (its metadata written) and when it completed. */
    public record Found(Path path, Instant completed) {}

    /**
     * The newest completed checkpoint under {@code dir}, of whichever job wrote it, or null. A checkpoint in
     * progress when the process died has no metadata yet and is passed over.
     */
    public static Found newest(Path dir) {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        try (Stream<Path> files = Files.find(
                dir,
                3,
                (p, a) -> a.isRegularFile()
                        && p.getFileName().toString().equals("_metadata")
                        && p.getParent().getFileName().toString().startsWith("chk-"))) {
            return files.map(m -> new Found(m.getParent().toAbsolutePath(), modified(m)))
                    .max(Comparator.comparing(Found::completed).thenComparingInt(f -> number(f.path())))
                    .orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException("could not look for checkpoints in " + dir, e);
        }
    }

    /**
     * Of {@code uids}, the operators a checkpoint or savepoint folder holds no state entry for (an operator added to the
     * job after it was taken would start empty), given the uids it {@link #held holds}. Empty when its metadata names
     * no operator uids at all.
     */
    public static java.util.Set<String> missing(java.util.Set<String> held, java.util.Set<String> uids) {
        java.util.Set<String> out = new java.util.TreeSet<>(uids);
        out.removeAll(held);
        return held.isEmpty() ? java.util.Set.of() : out;
    }

    /** The uids of the operators a checkpoint or savepoint folder holds state entries for. */
    public static java.util.Set<String> held(Path checkpoint) {
        Path metadata = checkpoint.resolve("_metadata");
        try (java.io.DataInputStream in = new java.io.DataInputStream(Files.newInputStream(metadata))) {
            java.util.Set<String> held = new java.util.TreeSet<>();
            for (var s : org.apache.flink.runtime.checkpoint.Checkpoints.loadCheckpointMetadata(
                            in, Checkpoints.class.getClassLoader(), checkpoint.toString())
                    .getOperatorStates()) {
                s.getOperatorUid().ifPresent(held::add);
            }
            return held;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + metadata + ": " + e.getMessage(), e);
        }
    }

    private static Instant modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toInstant();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int number(Path chk) {
        return Integer.parseInt(chk.getFileName().toString().substring("chk-".length()));
    }
}
