package org.hotline.sql;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One versioned migration file, {@code V<version>__<name>.sql}: statements separated by a semicolon
 * at the end of a line, {@code ${db}} standing for the target database. Every statement must be
 * safe to run again (IF NOT EXISTS), so a migration interrupted half-way can simply be re-run.
 */
public record Migration(int version, String name, String sql) {

    private static final Pattern FILE = Pattern.compile("V(\\d+)__([A-Za-z0-9_]+)\\.sql");

    public static Migration fromFile(String fileName, String sql) {
        Matcher m = FILE.matcher(fileName);
        if (!m.matches()) {
            throw new IllegalArgumentException("migration file '" + fileName + "' is not named V<version>__<name>.sql");
        }
        return new Migration(Integer.parseInt(m.group(1)), m.group(2), sql);
    }

    /** The statements to run against {@code database}, comments and blank lines removed. */
    public List<String> statements(String database) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : sql.replace("${db}", database).split("\n")) {
            String code = line.strip();
            if (code.isEmpty() || code.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (code.endsWith(";")) {
                out.add(current.toString().strip().replaceAll(";$", ""));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        return out;
    }

    /** SHA-256 of the file's text: a migration that was applied must never change. */
    public String checksum() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(sql.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
