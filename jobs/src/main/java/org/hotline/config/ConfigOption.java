package org.hotline.config;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The --config option, shared by the commands that read the configuration. */
public final class ConfigOption {
    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "YAML configuration (default: $HOTLINE_CONFIG, else the built-in defaults). "
                    + "HOTLINE_<SECTION>_<KEY> environment variables override it.")
    Path file;

    public HotlineConfig load() {
        return HotlineConfig.load(file);
    }
}
