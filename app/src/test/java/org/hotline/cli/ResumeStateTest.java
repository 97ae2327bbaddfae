package org.hotline.cli;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.hotline.jobs.FigureLayout;
import org.hotline.jobs.HotlineJob;
import org.hotline.jobs.RunCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A resume never starts an operator that keeps what came before with empty state: a checkpoint taken before the
 * operator was added to the job is refused, naming it, where Flink itself would start it empty without a word.
 */
class ResumeStateTest {

    @TempDir
    Path dir;

    /** A checkpoint's metadata holding a state entry for each of {@code uids} (and nothing else of note). */
    Path checkpoint(Set<String> uids) throws Exception {
        List<OperatorState> states = new ArrayList<>();
        for (String uid : uids) {
            states.add(new OperatorState(
                    uid, uid, OperatorID.fromJobVertexID(new org.apache.flink.runtime.jobgraph.JobVertexID()), 2, 128));
        }
        Path chk = Files.createDirectories(dir.resolve("job/chk-7"));
        try (OutputStream out = Files.newOutputStream(chk.resolve("_metadata"))) {
            Checkpoints.storeCheckpointMetadata(new CheckpointMetadata(7, states, List.of()), out);
        }
        return chk;
    }

    @Test
    void aCheckpointWithoutAnOperatorThatKeepsHistoryIsRefusedByName() throws Exception {
        Set<String> older = new HashSet<>(HotlineJob.KEEPS_HISTORY);
        older.removeAll(Set.of("ticket-rolling", "oldest-open"));
        older.add("calls-source");
        Path chk = checkpoint(older);
        assertThatThrownBy(() -> RunCommand.Restore.requireState(chk))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("holds no state for oldest-open, ticket-rolling")
                .hasMessageContaining("--fresh");
    }

    @Test
    void aCheckpointOfARunThatCountedOtherFiguresIsRefusedNamingThem() throws Exception {
        Set<String> all = new HashSet<>(HotlineJob.KEEPS_HISTORY);
        Path chk = checkpoint(all);
        // the run before this build: its ticket figures without completed_contacted
        String before = FigureLayout.current().replace("tickets.completed_contacted\n", "");
        Files.writeString(chk.getParent().resolve("figures"), before);
        assertThatThrownBy(() -> RunCommand.Restore.requireState(chk))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("this build adds tickets.completed_contacted")
                .hasMessageContaining("--fresh");

        FigureLayout.record(chk.getParent()); // recorded by a run of this build
        assertThatCode(() -> RunCommand.Restore.requireState(chk)).doesNotThrowAnyException();
    }

    @Test
    void aCheckpointHoldingTheTicketMinutesOfAnEarlierBuildIsRefusedNamingFresh() throws Exception {
        Set<String> earlier = new HashSet<>(HotlineJob.KEEPS_HISTORY);
        earlier.add("ticket-minute-slices");
        Path chk = checkpoint(earlier);
        assertThatThrownBy(() -> RunCommand.Restore.requireState(chk))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("taken by an earlier build")
                .hasMessageContaining("ticket-minute-slices")
                .hasMessageContaining("--fresh");
    }

    @Test
    void aCheckpointOfThisJobIsTakenAsItIs() throws Exception {
        Set<String> all = new HashSet<>(HotlineJob.KEEPS_HISTORY);
        all.add("calls-source");
        Path chk = checkpoint(all);
        assertThatCode(() -> RunCommand.Restore.requireState(chk)).doesNotThrowAnyException();
    }
}
