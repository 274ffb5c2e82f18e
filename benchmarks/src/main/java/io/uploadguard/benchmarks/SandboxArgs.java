package io.uploadguard.benchmarks;

import io.uploadguard.sandbox.client.SandboxEndpoints;
import java.nio.file.Path;

/**
 * Prints, one a line, the {@code --name=value} arguments that point a Spring Boot service at a
 * running sandbox (the same properties the tests use), for the load script.
 *
 * <p>Usage: {@code SandboxArgs <endpoints-file>}
 */
public final class SandboxArgs {

    private SandboxArgs() {}

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: SandboxArgs <endpoints-file>");
            System.exit(2);
        }
        SandboxEndpoints endpoints = SandboxEndpoints.readFrom(Path.of(args[0]));
        endpoints.springProperties().forEach((name, value) -> System.out.println("--" + name + "=" + value));
    }
}
