package io.uploadguard.benchmarks;

import io.uploadguard.security.LocalTokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes HS256 tokens for the load script, one a line, for users {@code <prefix>0} to
 * {@code <prefix>N-1}.
 *
 * <p>Usage: {@code MintTokens <secret> <count> <out-file> [valid-minutes] [user-prefix]}
 */
public final class MintTokens {

    private MintTokens() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: MintTokens <secret> <count> <out-file> [valid-minutes] [user-prefix]");
            System.exit(2);
        }
        String secret = args[0];
        int count = Integer.parseInt(args[1]);
        Path out = Path.of(args[2]);
        Duration validFor = Duration.ofMinutes(args.length > 3 ? Long.parseLong(args[3]) : 60);
        String prefix = args.length > 4 ? args[4] : "load-user-";
        List<String> lines = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            lines.add(LocalTokens.mint(secret, prefix + i, validFor));
        }
        Files.write(out, lines);
    }
}
