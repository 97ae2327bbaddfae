package org.hotline.jobs.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TsvRowTest {

    private static String text(TsvRow r) {
        return new String(r.bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void escapesWhatTheFormatReservesAndKeepsTheRestAsItIs() {
        TsvRow r = new TsvRow();
        r.string("a\tb\nc\\d\re\0f").string("雨湖区 'quoted'").string(null).string("");
        r.end();
        assertThat(text(r)).isEqualTo("a\\tb\\nc\\\\d\\re\\0f\t雨湖区 'quoted'\t\t\n");
    }

    @Test
    void writesMissingValuesFlagsNumbersAndArrays() {
        TsvRow r = new TsvRow();
        r.nullableNumber(null)
                .nullableNumber(42)
                .flag(null)
                .flag(true)
                .flag(false)
                .number(-7L)
                .number(0.5)
                .number(Double.NaN)
                .strings(new String[] {"x", "it's", "a\\b"})
                .strings(new String[0]);
        r.end();
        assertThat(text(r)).isEqualTo("\\N\t42\t\\N\t1\t0\t-7\t0.5\tnan\t['x','it\\\\'s','a\\\\\\\\b']\t[]\n");
    }

    @Test
    void writesTimesAsTenDigitEpochSeconds() {
        TsvRow r = new TsvRow();
        r.time(1_711_533_017_999L).time(0L).time(5_000L).time(-60_000L).time(null);
        r.end();
        assertThat(text(r)).isEqualTo("1711533017\t0000000000\t0000000005\t0000000000\t\\N\n");
    }

    @Test
    void countsRowsAndStartsAfreshWhenCleared() {
        TsvRow r = new TsvRow();
        r.number(1L).end();
        r.number(2L).number(3L).end();
        assertThat(r.rows()).isEqualTo(2);
        assertThat(text(r)).isEqualTo("1\n2\t3\n");
        r.clear();
        r.number(4L).end();
        assertThat(r.rows()).isEqualTo(1);
        assertThat(text(r)).isEqualTo("4\n");
    }
}
