package org.hotline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hotline.jobs.SharedServices;
import org.hotline.sql.ClickHouseSql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** `./hotline office-inputs`: the office's monthly inputs from CSV into ClickHouse; a later load replaces an earlier one. */
@ExtendWith(SharedServices.class)
class OfficeInputsITCase {

    @TempDir
    Path dir;

    @Test
    void loadsReplacesAndRefusesBadInput() throws Exception {
        Path config = dir.resolve("hotline.yaml");
        Files.writeString(config, "clickhouse:\n  database: office_it\n");
        Path csv = dir.resolve("office.csv");
        String url = SharedServices.clickhouse().httpUrl();
        Files.writeString(
                csv,
                "unit,knowledge_base,cooperation,bonus,bonus_reason\n"
                        + "市住建局,18,5,0,\n湘潭城发集团,18.5,5,-2,\"piled-up tickets, unclear duties\"\n");
        assertThat(Cli.run(
                        new ByteArrayOutputStream(),
                        "office-inputs",
                        "--config",
                        config.toString(),
                        "--month",
                        "2023-09",
                        "--input",
                        csv.toString(),
                        "--clickhouse-url",
                        url))
                .isZero();
        Files.writeString(
                csv, "unit,knowledge_base,cooperation,bonus,bonus_reason\n市住建局,19,5,1,good case in the press\n");
        assertThat(Cli.run(
                        new ByteArrayOutputStream(),
                        "office-inputs",
                        "--config",
                        config.toString(),
                        "--month",
                        "2023-09",
                        "--input",
                        csv.toString(),
                        "--clickhouse-url",
                        url))
                .isZero();
        try (ClickHouseSql ch = new ClickHouseSql(url, "default", "")) {
            List<String> rows = ch
                    .rows("SELECT unit_id, knowledge_base, bonus, bonus_reason FROM office_it.office_inputs FINAL "
                            + "WHERE month = '2023-09-01' ORDER BY unit_id")
                    .stream()
                    .map(Object::toString)
                    .toList();
            assertThat(rows)
                    .containsExactly(
                            "{\"unit_id\":\"市住建局\",\"knowledge_base\":19,\"bonus\":1,\"bonus_reason\":\"good case in the press\"}",
                            "{\"unit_id\":\"湘潭城发集团\",\"knowledge_base\":18.5,\"bonus\":-2,\"bonus_reason\":\"piled-up tickets, unclear duties\"}");
        }

        Files.writeString(csv, "unit,knowledge_base,cooperation,bonus\n市住建局,lots,5,0\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(Cli.run(
                        err,
                        "office-inputs",
                        "--config",
                        config.toString(),
                        "--month",
                        "2023-09",
                        "--input",
                        csv.toString(),
                        "--clickhouse-url",
                        url))
                .isEqualTo(2);
        assertThat(err.toString()).contains("line 2, column knowledge_base: 'lots' is not a number");
    }
}
