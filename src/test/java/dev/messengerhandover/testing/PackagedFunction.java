package dev.messengerhandover.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code target/function.zip} in its own process, started the way Lambda's {@code java21} runtime starts it: unpacked,
 * class path = the zip's root and {@code lib/*}, the AWS Lambda Runtime Interface Client as main class calling the
 * function's handler ({@link #HANDLER}: Quarkus's, saying why when start-up is refused; Quarkus's own for a zip
 * without it, as the benchmark's floor), nothing but environment variables for settings, and
 * {@code AWS_LAMBDA_RUNTIME_API} pointing at a {@link LambdaRuntimeApi}. No test class path, no test profile: what
 * ships is what runs.
 */
public final class PackagedFunction implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String HANDLER = "dev.messengerhandover.http.LambdaHandler::handleRequest";
    /** The handler of a Quarkus function without ours, as the benchmark's floor function. */
    private static final String QUARKUS_HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest";
    private static final String JNI_PROPERTY =
            "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

    /** An API Gateway payload 2.0 answer. */
    public record HttpAnswer(int status, JsonNode headers, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private final LambdaRuntimeApi runtime = new LambdaRuntimeApi();
    private final Process process;
    private final Path log;
    private final long startedAt;
    private final long readyAt;

    /** Starts the function with {@code environment} (the function's own settings) and waits for its first poll. */
    public PackagedFunction(Map<String, String> environment, String logName) {
        this(Path.of("target", "function.zip"), environment, logName);
    }

    /** Where a function started with {@code logName} writes its output. */
    public static Path log(String logName) {
        return Path.of("target", logName + ".log");
    }

    /** Any Quarkus Lambda {@code function.zip}: the benchmark also runs its floor function this way. */
    public PackagedFunction(Path zip, Map<String, String> environment, String logName) {
        this(handlerCommand(zip, environment), environment, logName);
    }

    /**
     * The function as a program, the way the native image's {@code bootstrap} runs (Quarkus's main, then its poll of
     * the Runtime API), built for the JVM: the jar Quarkus builds next to {@code function.zip}. Quarkus starts its own
     * poll loop in native builds only, so this serves start-up: what Lambda is told when start-up is refused.
     */
    public static PackagedFunction program(Map<String, String> environment, String logName) {
        try (var jars = Files.list(Path.of("target"))) {
            var jar = jars.filter(p -> p.getFileName().toString().endsWith("-runner.jar")).findFirst().orElseThrow();
            return new PackagedFunction(List.of(javaExecutable(), "-jar", jar.toString()), environment, logName);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> handlerCommand(Path zip, Map<String, String> environment) {
        var task = unpack(zip, Path.of("target", "unpacked", Integer.toHexString(zip.toAbsolutePath().hashCode())));
        var classPath = String.join(File.pathSeparator, task.toString(), task.resolve("lib") + "/*",
                Path.of("target", "lambda-runtime").toAbsolutePath() + "/*");
        int memory = Integer.parseInt(environment.getOrDefault("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024"));
        // The JVM as Lambda's Java runtimes launch it in a sandbox of that memory: heap 85 %, metaspace 10 %, code
        // cache 5 % of it, the serial collector, class data sharing, C1 only.
        // -Dfunction.jvm-options="-XX:+UseG1GC ..." tries other flags: they replace the collector and come last.
        var extra = System.getProperty("function.jvm-options", "").trim();
        var command = new ArrayList<>(List.of(javaExecutable(), "-XX:MaxRAM=" + memory + "m",
                "-XX:MaxHeapSize=" + memory * 1024 * 85 / 100 + "k",
                "-XX:MaxMetaspaceSize=" + memory * 1024 / 10 + "k",
                "-XX:ReservedCodeCacheSize=" + memory * 1024 / 20 + "k", "-Xshare:auto",
                "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1", "-Djava.net.preferIPv4Stack=true"));
        if (!extra.contains("GC")) {
            command.add("-XX:+UseSerialGC");
        }
        jniLibrary().ifPresent(lib -> command.add("-D" + JNI_PROPERTY + "=" + lib));
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        var handler = Files.exists(task.resolve(HANDLER.substring(0, HANDLER.indexOf(':')).replace('.', '/')
                + ".class")) ? HANDLER : QUARKUS_HANDLER;
        command.addAll(List.of("-cp", classPath, "com.amazonaws.services.lambda.runtime.api.client.AWSLambda",
                handler));
        return command;
    }

    private PackagedFunction(List<String> command, Map<String, String> environment, String logName) {
        log = log(logName);
        int memory = Integer.parseInt(environment.getOrDefault("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024"));
        var builder = new ProcessBuilder(command);
        // Only what Lambda would set: the developer's own MESSENGER_*/HANDOVER_*/QUARKUS_* must not leak in.
        builder.environment().keySet().removeIf(k -> k.startsWith("MESSENGER_") || k.startsWith("HANDOVER_")
                || k.startsWith("QUARKUS_") || k.startsWith("AWS_"));
        var env = builder.environment();
        env.put("AWS_LAMBDA_RUNTIME_API", runtime.address());
        env.put("AWS_LAMBDA_FUNCTION_NAME", "messenger-handover");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", String.valueOf(memory));
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        env.put("DISABLE_SIGNAL_HANDLERS", "true");
        env.putAll(environment);
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        startedAt = System.nanoTime();
        try {
            process = builder.start();
            readyAt = awaitReady();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (TimeoutException | RuntimeException e) {
            close();
            throw new NotStarted("the packaged function did not start; see " + log + "\n" + tail(), e,
                    runtime.initError());
        }
    }

    private long awaitReady() throws TimeoutException {
        var deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                return runtime.awaitReady(Duration.ofMillis(100));
            } catch (TimeoutException e) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("exited with " + process.exitValue() + " during init");
                }
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    /** The function did not start; {@code initError} is what it told Lambda ({@code /init/error}), if anything. */
    public static final class NotStarted extends IllegalStateException {
        private final String initError;

        NotStarted(String message, Throwable cause, String initError) {
            super(message, cause);
            this.initError = initError;
        }

        public String initError() {
            return initError;
        }
    }

    /** Process start to first poll of the Runtime API: the function's init phase. */
    public Duration init() {
        return Duration.ofNanos(readyAt - startedAt);
    }

    /** Peak resident set size of the function process so far (Linux {@code VmHWM}), in KiB; -1 if unknown. */
    public long peakRssKib() {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")).stream()
                    .filter(l -> l.startsWith("VmHWM:")).map(l -> l.replaceAll("[^0-9]", "")).mapToLong(Long::parseLong)
                    .findFirst().orElse(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    /** Sends one API Gateway event through the Runtime API and returns the function's HTTP answer. */
    public HttpAnswer invoke(String event) {
        try {
            var answer = runtime.invoke(event, Duration.ofSeconds(30));
            if (answer.error()) {
                throw new IllegalStateException("the function reported an invocation error: " + answer.body());
            }
            var response = JSON.readTree(answer.body());
            var body = response.path("body").asText("");
            if (response.path("isBase64Encoded").asBoolean()) {
                body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
            }
            return new HttpAnswer(response.path("statusCode").asInt(), response.path("headers"), body);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer in 30 s; see " + log + "\n" + tail(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String tail() {
        try {
            var lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        runtime.close();
    }

    /**
     * The Runtime Interface Client's JNI library, unpacked once under {@code target/lambda-runtime}. Left to itself the
     * client copies it to one fixed path, {@code /tmp/.libaws-lambda-jni.so}, at every start: processes starting
     * together (several instances, or another build on the machine) overwrite it while another loads it, and fail.
     * Its own system property points it at a file instead.
     */
    static synchronized Optional<Path> jniLibrary() {
        var arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64" -> "aarch_64";
            default -> null;
        };
        var dir = Path.of("target", "lambda-runtime").toAbsolutePath();
        var lib = dir.resolve("libaws-lambda-jni.so");
        if (arch == null || Files.isRegularFile(lib)) {
            return arch == null ? Optional.empty() : Optional.of(lib);
        }
        try (var jars = Files.newDirectoryStream(dir, "aws-lambda-java-runtime-interface-client-*.jar")) {
            for (var jar : jars) {
                try (var zip = new ZipFile(jar.toFile())) {
                    var entry = zip.getEntry("jni/libaws-lambda-jni.linux-" + arch + ".so");
                    if (entry != null) {
                        var part = Files.createTempFile(dir, "jni", ".part");
                        try (var in = zip.getInputStream(entry)) {
                            Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                        }
                        Files.move(part, lib, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                        return Optional.of(lib);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Optional.empty();
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Unpacks the zip as Lambda does into {@code /var/task}; returns the absolute directory. */
    static synchronized Path unpack(Path zip, Path into) {
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException("no " + zip + ": run ./mvnw package first");
        }
        try {
            var target = into.toAbsolutePath();
            if (Files.isDirectory(target) && Files.getLastModifiedTime(target).compareTo(Files.getLastModifiedTime(zip)) > 0) {
                return target;
            }
            try (var old = Files.walk(target)) {
                old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (java.nio.file.NoSuchFileException e) {
                // first unpack
            }
            Files.createDirectories(target);
            try (var in = new ZipInputStream(Files.newInputStream(zip))) {
                for (ZipEntry entry; (entry = in.getNextEntry()) != null;) {
                    var file = target.resolve(entry.getName()).normalize();
                    if (!file.startsWith(target)) {
                        throw new IOException("zip entry outside the target: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(file);
                    } else {
                        Files.createDirectories(file.getParent());
                        Files.copy(in, file);
                    }
                }
            }
            Files.setLastModifiedTime(target, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
