package io.uploadguard.lambda.harness;

import io.uploadguard.sandbox.client.ChildProcesses;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * One Lambda function's execution environment: a fresh JVM started the way the Java managed runtime
 * starts it ({@code AWSLambda} main of the runtime interface client, the handler as its argument,
 * the task folder and its {@code lib/*} as the only class path, Lambda's environment variables),
 * talking to a {@link LambdaRuntimeApi} of its own.
 */
public final class LambdaFunction implements AutoCloseable {

    /** Spring Cloud Function's generic handler, what the stack names as each function's handler. */
    public static final String SPRING_CLOUD_FUNCTION_HANDLER =
            "org.springframework.cloud.function.adapter.aws.FunctionInvoker::handleRequest";

    /** What Lambda's java17/java21 runtimes run: C1 only and the serial collector. */
    public static final List<String> LAMBDA_JVM_OPTIONS =
            List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto");

    private static final String RUNTIME_CLIENT_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    private static final Duration INVOCATION_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final LambdaRuntimeApi api;
    private final Path log;
    private final Instant startedAt;

    private LambdaFunction(Process process, LambdaRuntimeApi api, Path log, Instant startedAt) {
        this.process = process;
        this.api = api;
        this.log = log;
        this.startedAt = startedAt;
    }

    /** Unpacks a Lambda zip into an empty folder, as Lambda does into {@code /var/task}. */
    public static Path unpack(Path artifact, Path taskRoot) {
        try {
            Files.createDirectories(taskRoot);
            try (var existing = Files.list(taskRoot)) {
                if (existing.findAny().isPresent()) {
                    throw new IllegalArgumentException(taskRoot + " is not empty");
                }
            }
            try (InputStream in = Files.newInputStream(artifact);
                    ZipInputStream zip = new ZipInputStream(in)) {
                for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                    Path target = taskRoot.resolve(entry.getName()).normalize();
                    if (!target.startsWith(taskRoot)) {
                        throw new IllegalArgumentException("zip entry outside the folder: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(target);
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(zip, target);
                    }
                }
            }
            return taskRoot;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + artifact, e);
        }
    }

    /**
     * Starts the function's JVM.
     *
     * @param taskRoot the unpacked artifact
     * @param functionName the function's name ({@code AWS_LAMBDA_FUNCTION_NAME})
     * @param configuration the function's own environment variables, as the stack would set them
     * @param jvmOptions options before the class path, e.g. {@link #LAMBDA_JVM_OPTIONS}
     * @param log where the JVM's standard output and error go (what CloudWatch would receive)
     */
    public static LambdaFunction start(
            Path taskRoot, String functionName, Map<String, String> configuration, List<String> jvmOptions, Path log) {
        String classPath = taskRoot + File.pathSeparator + taskRoot.resolve("lib") + File.separator + "*";
        return start(taskRoot, classPath, functionName, configuration, jvmOptions, log);
    }

    /**
     * As {@link #start(Path, String, Map, List, Path)} with another class path, e.g. the jars of a
     * container image's layout without the task folder itself.
     */
    public static LambdaFunction start(
            Path taskRoot,
            String classPath,
            String functionName,
            Map<String, String> configuration,
            List<String> jvmOptions,
            Path log) {
        LambdaRuntimeApi api = LambdaRuntimeApi.start(functionName);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(RUNTIME_CLIENT_MAIN);
        command.add(SPRING_CLOUD_FUNCTION_HANDLER);
        var builder = new ProcessBuilder(command)
                .directory(taskRoot.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // only what Lambda sets and what the stack would configure: nothing of this JVM's environment
        builder.environment().clear();
        builder.environment().putAll(lambdaEnvironment(taskRoot, functionName, api.address()));
        builder.environment().putAll(configuration);
        try {
            Instant startedAt = Instant.now();
            Process process = builder.start();
            return new LambdaFunction(process, api, log, startedAt);
        } catch (IOException e) {
            api.close();
            throw new UncheckedIOException("cannot start the function's JVM", e);
        }
    }

    private static Map<String, String> lambdaEnvironment(Path taskRoot, String functionName, String runtimeApi) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_LAMBDA_RUNTIME_API", runtimeApi);
        env.put("_HANDLER", SPRING_CLOUD_FUNCTION_HANDLER);
        env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
        env.put("LAMBDA_RUNTIME_DIR", taskRoot.toString());
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java17");
        env.put("AWS_LAMBDA_FUNCTION_NAME", functionName);
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + functionName);
        env.put("AWS_LAMBDA_LOG_STREAM_NAME", "2026/12/06/[$LATEST]0123456789abcdef0123456789abcdef");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put("AWS_REGION", "eu-west-1");
        env.put("AWS_DEFAULT_REGION", "eu-west-1");
        env.put("TZ", ":UTC");
        env.put("LANG", "en_US.UTF-8");
        return env;
    }

    /**
     * Spring properties as the environment variables a stack sets for them (relaxed binding:
     * {@code spring.cloud.aws.s3.path-style-access-enabled} is {@code SPRING_CLOUD_AWS_S3_PATHSTYLEACCESSENABLED}).
     */
    public static Map<String, String> asEnvironment(Map<String, String> springProperties) {
        Map<String, String> env = new LinkedHashMap<>();
        springProperties.forEach((name, value) ->
                env.put(name.replace("-", "").replace('.', '_').toUpperCase(java.util.Locale.ROOT), value));
        return env;
    }

    /** Waits until the function has initialised (it asks for its first event); fails as {@link #invoke} does. */
    public Instant awaitInitialised() {
        await(api.firstPoll());
        return api.firstPoll().join();
    }

    /**
     * Sends one event and waits for the function's answer. Fails, with the end of the function's
     * output, if its initialisation fails, its JVM exits, or it does not answer in time.
     */
    public LambdaRuntimeApi.Outcome invoke(String event) {
        CompletableFuture<LambdaRuntimeApi.Outcome> outcome = api.submit(event);
        await(outcome);
        return outcome.join();
    }

    private void await(CompletableFuture<?> step) {
        try {
            CompletableFuture.anyOf(step, api.initError(), process.onExit())
                    .get(INVOCATION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw failure("no answer within " + INVOCATION_TIMEOUT);
        } catch (ExecutionException e) {
            throw failure("the invocation failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("interrupted");
        }
        if (api.initError().isDone()) {
            throw failure(
                    "the function reported an init error: " + api.initError().join());
        }
        if (!step.isDone()) {
            throw failure("the function's JVM exited with code " + process.exitValue());
        }
    }

    /** When the JVM was started: a cold start runs from here to the first answer. */
    public Instant startedAt() {
        return startedAt;
    }

    /** The class path the function's JVM really runs with, read back from its command line. */
    public List<String> classPath() {
        List<String> args =
                process.info().arguments().map(Arrays::asList).orElseThrow(() -> failure("no command line"));
        int option = args.indexOf("-cp");
        return List.of(args.get(option + 1).split(File.pathSeparator));
    }

    /** Everything the function wrote to standard output and error so far. */
    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private IllegalStateException failure(String what) {
        String output = output();
        String tail = output.substring(Math.max(0, output.length() - 6000));
        return new IllegalStateException(what + "; the function's output " + log + " ends with:\n" + tail);
    }

    /**
     * Stops the JVM the way Lambda shuts an environment down (SIGTERM), waiting up to {@code grace}
     * for it to exit (a JVM writing an AOT cache at exit needs a while) before killing it.
     */
    public void stop(Duration grace) {
        ChildProcesses.terminate(process, grace);
        api.close();
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }
}
