package org.hotline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code ./hotline} with no arguments lists every command the command line has (the script's list is written by hand). */
class LauncherUsageTest {

    @Test
    void theLauncherListsEveryCommand() throws Exception {
        String script = Files.readString(Path.of("..", "hotline"));
        String usage = script.substring(script.indexOf("Usage: ./hotline"), script.indexOf("USAGE\n}"));
        List<String> listed = new ArrayList<>();
        usage.lines()
                .filter(l -> l.matches("  [a-z-]+ .*"))
                .forEach(l -> listed.add(l.trim().split("\\s+")[0]));
        List<String> commands =
                new ArrayList<>(Hotline.commandLine().getSubcommands().keySet());
        commands.remove("help");
        assertThat(listed).containsAll(commands).contains("test", "build");
    }
}
