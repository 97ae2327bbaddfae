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

    /**
     * Strings of every kind of character (escapes, ASCII, Chinese, emoji as surrogate pairs, unpaired surrogates) and
     * numbers of every size, written as Java's own encoder and {@code Long.toString} write them, after the format's
     * escapes: the buffer's hand encoding against the library's.
     */
    @Test
    void encodesEveryStringAndNumberAsJavaItselfDoes() {
        java.util.Random random = new java.util.Random(5);
        char[] alphabet = {
            'a', 'Z', '0', ' ', '\'', '\\', '\t', '\n', '\r', '\0', 'é', '雨', '区', '\ud83d', '\ude00', '\u07ff',
            '\u0800', '\uffff'
        };
        for (int round = 0; round < 2_000; round++) {
            StringBuilder b = new StringBuilder();
            for (int i = random.nextInt(12); i > 0; i--) {
                b.append(
                        random.nextInt(4) == 0
                                ? "\ud83d\ude00"
                                : String.valueOf(alphabet[random.nextInt(alphabet.length)]));
            }
            String s = b.toString();
            long n = switch (round % 4) {
                case 0 -> random.nextLong();
                case 1 -> random.nextInt(1000) - 500;
                case 2 -> round == 2 ? Long.MIN_VALUE : Long.MAX_VALUE;
                default -> 0;
            };
            long ms = Math.abs(random.nextLong() % 4_000_000_000_000L);
            TsvRow r = new TsvRow();
            r.string(s).number(n).time(ms).end();
            String escaped = s.replace("\\", "\\\\")
                    .replace("\t", "\\t")
                    .replace("\n", "\\n")
                    .replace("\r", "\\r")
                    .replace("\0", "\\0");
            byte[] expected = (escaped + "\t" + n + "\t" + String.format("%010d", ms / 1000) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            assertThat(r.bytes()).as("%s, %d, %d", s, n, ms).isEqualTo(expected);
        }
    }

    @Test
    void growsPastItsFirstBuffer() {
        TsvRow r = new TsvRow();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 50_000; i++) {
            r.string("雨湖区").number(i).end();
            expected.append("雨湖区\t").append(i).append('\n');
        }
        assertThat(text(r)).isEqualTo(expected.toString());
        assertThat(r.rows()).isEqualTo(50_000);
    }
}
