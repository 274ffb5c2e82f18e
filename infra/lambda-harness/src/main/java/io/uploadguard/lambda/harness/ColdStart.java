package io.uploadguard.lambda.harness;

import io.uploadguard.sandbox.client.SandboxEndpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One cold start, for bench/lambda-cold-start.sh: starts an unpacked Lambda artifact under the
 * runtime harness against a running sandbox, sends one event and prints how long the JVM took to
 * initialise and to answer. The function runs on the JDK that runs this class.
 *
 * <p>Arguments: task folder, function name, function definition, event file, sandbox endpoints
 * file, log file, then any JVM options for the function. With {@code -Dcoldstart.jars-only=true}
 * the class path is the task folder's {@code lib/*} alone (a container image's layout), which an
 * AOT cache needs: HotSpot refuses to write one while a non-empty folder is on the class path.
 */
public final class ColdStart {

    private ColdStart() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 6) {
            System.err.println("usage: ColdStart TASK_ROOT FUNCTION_NAME DEFINITION EVENT_FILE "
                    + "SANDBOX_ENDPOINTS LOG [JVM_OPTION...]");
            System.exit(2);
        }
        Path taskRoot = Path.of(args[0]).toAbsolutePath();
        SandboxEndpoints sandbox = SandboxEndpoints.readFrom(Path.of(args[4]));
        String event = Files.readString(Path.of(args[3])).replace("SANDBOX_BUCKET", sandbox.bucket());
        Map<String, String> env = new HashMap<>(LambdaFunction.asEnvironment(sandbox.springProperties()));
        env.put("SPRING_CLOUD_FUNCTION_DEFINITION", args[2]);
        List<String> jvmOptions = Arrays.asList(args).subList(6, args.length);

        String classPath = Boolean.getBoolean("coldstart.jars-only")
                ? taskRoot.resolve("lib") + java.io.File.separator + "*"
                : taskRoot + java.io.File.pathSeparator + taskRoot.resolve("lib") + java.io.File.separator + "*";
        LambdaFunction function = LambdaFunction.start(taskRoot, classPath, args[1], env, jvmOptions, Path.of(args[5]));
        try {
            var initialised = function.awaitInitialised();
            LambdaRuntimeApi.Outcome outcome = function.invoke(event);
            System.out.printf(
                    "init_ms=%d first_response_ms=%d error=%s answer=%s%n",
                    Duration.between(function.startedAt(), initialised).toMillis(),
                    Duration.between(function.startedAt(), outcome.at()).toMillis(),
                    outcome.error(),
                    outcome.body().substring(0, Math.min(120, outcome.body().length())));
        } finally {
            // SIGTERM and time to exit: a training run writes its AOT cache at exit
            function.stop(Duration.ofSeconds(120));
        }
    }
}
