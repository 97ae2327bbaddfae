package org.hotline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `./hotline assess --input`: CSV out, or a clear error and exit code 2 for bad input. */
class AssessCommandTest {

    @TempDir
    Path dir;

    @Test
    void badInputExitsWithTwoNamingTheLineAndColumn() throws Exception {
        Path csv = dir.resolve("units.csv");
        Files.writeString(
                csv,
                "unit,group,tickets,on_time,extensions,contacted,sys_satisfaction_pct,spot_satisfaction_pct,"
                        + "rejects,knowledge_base,cooperation,bonus\n市A局,department,12,13,0,12,50,50,0,18,5,0\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(Cli.run(err, "assess", "--input", csv.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("line 2, column on_time: 13 is more than the unit's 12 tickets");
    }

    @Test
    void aMissingFileIsAnErrorButNotBadInput() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(Cli.run(err, "assess", "--input", dir.resolve("none.csv").toString()))
                .isEqualTo(1);
        assertThat(err.toString()).contains("none.csv");
    }
}
