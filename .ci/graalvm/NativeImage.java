import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * {@code native-image} for a GraalVM home assembled from Maven Central (.ci/graalvm/assemble): GraalVM publishes its
 * image builder there but not its command-line driver, so this takes the driver's place for what Quarkus asks of it.
 * <ul>
 * <li>{@code --version} answers in the three-line form Quarkus parses: the builder's version (its jar's manifest) on
 * the JDK that runs it.</li>
 * <li>Otherwise it translates the driver's command line into the builder's: {@code -J} options go to the builder's
 * JVM; {@code -H:} options pass through; {@code @argfile}s are expanded; {@code -jar} gives the class path, main class
 * and module options of the jar's manifest; every class path entry's {@code META-INF/native-image} contributes its
 * {@code native-image.properties} options and its configuration files, less what {@code --exclude-config} excludes;
 * and every other option ({@code --features}, {@code --initialize-at-run-time}, {@code --no-fallback}, ...) is looked
 * up in the builder's own {@code @APIOption} declarations, so it means exactly what the builder says it means. An
 * option it does not know fails the build.</li>
 * <li>It adds {@code -H:+ExitAfterRelocatableImageWrite}: the builder runs class initialisation, the points-to
 * analysis, compilation and the image heap, writes the relocatable object and stops before the link, for which the
 * JDK's static libraries and SubstrateVM's C libraries would be needed (no registry serves them). The object is kept
 * in {@code <image>-object/} for its section sizes.</li>
 * <li>The builder's output is the build's output, and its exit status the launcher's: a failing build fails with the
 * builder's own error. After a successful one it writes, where the image would be, a placeholder that says so, and
 * prints one summary line ({@code native-image builder: ...}) with the stage times and figures CI reports.</li>
 * </ul>
 * Run on the home's own java: {@code java NativeImage.java ARGS} ({@code bin/native-image} does that). With
 * NATIVE_IMAGE_ARGS_LOG set, the arguments as received are written there, one a line.
 */
public class NativeImage {

    static final String BUILDER_MODULE = "org.graalvm.nativeimage.builder";
    static final String BUILDER_MAIN = "com.oracle.svm.hosted.NativeImageGeneratorRunner";

    /** META-INF/native-image files the driver hands to the builder, and the option naming each. */
    static final Map<String, String> CONFIG_FILES = Map.of(
            "reachability-metadata.json", "ReachabilityMetadataResources",
            "reflect-config.json", "ReflectionConfigurationResources",
            "resource-config.json", "ResourceConfigurationResources",
            "jni-config.json", "JNIConfigurationResources",
            "proxy-config.json", "DynamicProxyConfigurationResources",
            "serialization-config.json", "SerializationConfigurationResources",
            "serialization-deny-config.json", "SerializationDenyConfigurationResources",
            "predefined-classes-config.json", "PredefinedClassesConfigurationResources");

    final Path home = Path.of(System.getProperty("java.home"));
    final Path builderDir = home.resolve("lib/svm/builder");
    final Path workDir = Path.of("").toAbsolutePath();

    final List<String> javaArgs = new ArrayList<>();
    final List<String> builderArgs = new ArrayList<>();
    final LinkedHashSet<Path> classpath = new LinkedHashSet<>();
    final List<String> positional = new ArrayList<>();
    final List<Pattern[]> excludedConfigs = new ArrayList<>();
    String mainClass;
    boolean jarMode;
    Map<String, List<ApiOption>> apiOptions;
    final Map<String, String> stages = new LinkedHashMap<>();

    public static void main(String[] args) throws Exception {
        String argsLog = System.getenv("NATIVE_IMAGE_ARGS_LOG");
        if (argsLog != null && !argsLog.isEmpty() && !List.of(args).equals(List.of("--version"))) {
            Files.write(Path.of(argsLog), List.of(args));
        }
        NativeImage launcher = new NativeImage();
        if (args.length == 1 && args[0].equals("--version")) {
            launcher.printVersion();
            return;
        }
        try {
            System.exit(launcher.build(List.of(args)));
        } catch (UsageError e) {
            System.err.println("Error: " + e.getMessage());
            System.exit(2);
        }
    }

    static final class UsageError extends RuntimeException {
        UsageError(String message) {
            super(message);
        }
    }

    String builderVersion() throws IOException {
        try (Stream<Path> jars = Files.list(builderDir)) {
            Path svm = jars.filter(p -> p.getFileName().toString().matches("svm-[0-9].*\\.jar")).findFirst()
                    .orElseThrow(() -> new UsageError("no svm jar in " + builderDir + ": assemble the home with .ci/graalvm/assemble"));
            try (JarFile jar = new JarFile(svm.toFile())) {
                return jar.getManifest().getMainAttributes().getValue("Implementation-Version");
            }
        }
    }

    /** As GraalVM CE names itself, so that Quarkus, at build time and in the image, reads the builder's version. */
    static String vendorVersion(String builderVersion) {
        return "GraalVM CE " + builderVersion + "+maven-central";
    }

    /** The form of GraalVM CE's own answer, which Quarkus parses: the builder's version, and the JDK running it. */
    void printVersion() throws IOException {
        String jdk = Runtime.version().toString();
        String vendor = vendorVersion(builderVersion());
        System.out.println("native-image " + System.getProperty("java.version") + " " + System.getProperty("java.version.date"));
        System.out.println("GraalVM Runtime Environment " + vendor + " (build " + jdk + ")");
        System.out.println("Substrate VM " + vendor + " (build " + jdk + ", serial gc)");
    }

    int build(List<String> args) throws Exception {
        String version = builderVersion();
        apiOptions = loadApiOptions();
        parse(new ArrayDeque<>(expandArgFiles(args)), null);
        if (jarMode) {
            if (positional.size() > 1) {
                throw new UsageError("unrecognized arguments: " + positional.subList(1, positional.size()));
            }
        } else if (!positional.isEmpty()) {
            mainClass = positional.remove(0);
        }
        String imageName = !positional.isEmpty() ? positional.get(0) : lastValue("-H:Name=");
        if (imageName == null) {
            throw new UsageError("no image name: give one, or -o NAME");
        }
        if (mainClass == null && lastValue("-H:Class=") == null) {
            throw new UsageError("no main class: -jar JAR, or a class name");
        }
        for (Path entry : List.copyOf(classpath)) {
            applyMetaInf(entry);
        }

        Path objectDir = workDir.resolve(imageName + "-object");
        deleteRecursively(objectDir);
        Files.createDirectories(objectDir);
        List<String> imageArgs = new ArrayList<>();
        imageArgs.add("-imagecp");
        imageArgs.add(String.join(java.io.File.pathSeparator, classpath.stream().map(Path::toString).toList()));
        imageArgs.add(withOrigin("-H:CLibraryPath=" + home.resolve("lib/svm/clibraries/linux-amd64"), DRIVER));
        imageArgs.add(withOrigin("-H:Path=" + workDir, DRIVER));
        imageArgs.addAll(builderArgs);
        if (mainClass != null) {
            imageArgs.add(withOrigin("-H:Class=" + mainClass, DRIVER));
        }
        imageArgs.add(withOrigin("-H:Name=" + imageName, DRIVER));
        imageArgs.add(withOrigin("-H:ImageBuildID=" + UUID.nameUUIDFromBytes(String.join("\0", imageArgs).getBytes(StandardCharsets.UTF_8)), DRIVER));
        imageArgs.add(withOrigin("-H:TempDirectory=" + objectDir, DRIVER));
        imageArgs.add(withOrigin("-H:+ExitAfterRelocatableImageWrite", DRIVER));

        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/java").toString());
        command.addAll(builderJvmArgs(version));
        command.addAll(javaArgs);
        command.addAll(List.of("--module", BUILDER_MODULE + "/" + BUILDER_MAIN));
        command.addAll(List.of("-keepalive", "/proc/" + ProcessHandle.current().pid() + "/comm"));
        Path imageArgsFile = Files.createTempFile(objectDir, "builder", ".args");
        Files.writeString(imageArgsFile, String.join("\0", imageArgs));
        command.add("--image-args-file=" + imageArgsFile);

        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        String jdkVersion = Runtime.version().version().stream().map(String::valueOf).reduce((a, b) -> a + "." + b).orElseThrow();
        if (!version.equals(jdkVersion)) {
            // Maven Central's builder may be a patch release ahead of the JDK; its JVMCI check would refuse it. Said
            // once here, on standard output: the builder's standard error is what Quarkus reports when a build fails.
            System.out.println("native-image: GraalVM " + version + "'s builder on JDK " + Runtime.version()
                    + ": its JVMCI version check is told to ignore the difference (JVMCI_VERSION_CHECK=ignore)");
            builder.environment().put("JVMCI_VERSION_CHECK", "ignore");
        }
        builder.environment().put("USE_NATIVE_IMAGE_JAVA_PLATFORM_MODULE_SYSTEM", "true");
        long start = System.nanoTime();
        Process process = builder.start();
        // The builder's output is passed on line by line; its stage lines ("[2/8] Performing analysis... (25.5s @
        // 1.18GB)") are kept for the summary, its first error line for the failure message.
        String firstError = null;
        Pattern stageLine = Pattern.compile("^\\[(\\d+)/\\d+\\] ([A-Z][a-z ]+)\\.\\.\\..*\\(([0-9.]+)s @ ([0-9.]+)GB\\)\\s*$");
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String outputLine = lines.readLine(); outputLine != null; outputLine = lines.readLine()) {
                System.out.println(outputLine);
                if (firstError == null && (outputLine.startsWith("Error: ") || outputLine.startsWith("Fatal error: "))) {
                    firstError = outputLine;
                }
                Matcher stage = stageLine.matcher(outputLine);
                if (stage.find()) {
                    stages.put(stage.group(2).trim().replace(" methods", "").replace("Performing ", "").toLowerCase(),
                            stage.group(3) + " s");
                }
            }
        }
        int status = process.waitFor();
        if (status != 0) {
            // On standard error, which Quarkus quotes when the build fails; the builder's whole report is above.
            System.err.println("native-image: the image builder failed (exit status " + status + ")"
                    + (firstError != null ? ": " + firstError : "") + " [its full report is in the build output above]");
            return status;
        }
        Path placeholder = workDir.resolve(imageName);
        Files.writeString(placeholder, "#!/bin/sh\necho 'placeholder: GraalVM analysed and compiled this image, the link was left out' >&2\nexit 1\n");
        placeholder.toFile().setExecutable(true, false);
        String summary = summary(objectDir, imageName, (System.nanoTime() - start) / 1_000_000_000.0);
        System.out.println(summary);
        Files.writeString(workDir.resolve(imageName + "-builder-summary.txt"), summary + "\n");
        return 0;
    }

    List<String> builderJvmArgs(String version) throws IOException {
        List<Path> builderJars = jars(builderDir);
        Set<String> builderModules = new LinkedHashSet<>();
        for (ModuleReference module : ModuleFinder.of(builderJars.toArray(Path[]::new)).findAll()) {
            builderModules.add(module.descriptor().name());
        }
        return List.of(
                "-XX:+UseParallelGC", // a throughput job
                "-XX:+UnlockExperimentalVMOptions", "-XX:+EnableJVMCI", "-XX:-UseJVMCICompiler",
                "-Xss10m", "-Xshare:off",
                "@" + home.resolve("lib/svm/builder-exports.args"),
                "-Djava.awt.headless=true",
                "-Dorg.graalvm.version=" + version,
                "-Dorg.graalvm.vendor=GraalVM Community",
                "-Dorg.graalvm.vendorversion=" + vendorVersion(version),
                "-Dcom.oracle.graalvm.isaot=true",
                "-Dsubstratevm.HostLibC=glibc",
                "-Djava.system.class.loader=com.oracle.svm.hosted.NativeImageSystemClassLoader",
                "-Dorg.graalvm.nativeimage.imagecode=buildtime",
                "-Djdk.internal.lambda.disableEagerInitialization=true",
                "-Djdk.internal.lambda.eagerlyInitialize=false",
                "-Djava.lang.invoke.InnerClassLambdaMetafactory.initializeLambdas=false",
                "-Djava.lang.invoke.MethodHandle.DONT_INLINE_THRESHOLD=-1",
                "-Djava.lang.invoke.MethodHandle.PROFILE_GWT=false",
                "--module-path", join(builderJars),
                "--upgrade-module-path", join(jars(home.resolve("lib/jvmci"))),
                "--add-modules=ALL-DEFAULT",
                "--enable-native-access=" + String.join(",", builderModules));
    }

    // ---- the command line ----

    /**
     * The origin the builder records for a hosted option, as GraalVM's driver passes it: none for the command line's
     * own -H: options, "user+api" for API options, the file's URI for what a native-image.properties says (with "+api"
     * for its API options and for configuration files), and "driver" for what this launcher adds itself. The builder
     * holds only options without a stable origin to its experimental-option rules.
     */
    static String withOrigin(String hostedOption, String origin) {
        int equals = hostedOption.indexOf('=');
        String name = equals < 0 ? hostedOption : hostedOption.substring(0, equals);
        if (origin == null || name.contains("@")) {
            return hostedOption;
        }
        return name + "@" + origin + (equals < 0 ? "" : hostedOption.substring(equals));
    }

    static final String DRIVER = "driver";

    /** Parses driver options from the command line (origin null) or from a native-image.properties (its URI). */
    void parse(Deque<String> args, String origin) throws IOException {
        while (!args.isEmpty()) {
            String arg = args.poll();
            if (arg.startsWith("-J")) {
                javaArgs.add(arg.substring(2));
            } else if (arg.startsWith("-H:") || arg.startsWith("-R:")) {
                builderArgs.add(withOrigin(arg, origin));
            } else if (arg.equals("-jar")) {
                addJar(Path.of(next(args, arg)));
            } else if (arg.equals("-cp") || arg.equals("-classpath") || arg.equals("--class-path")) {
                for (String entry : next(args, arg).split(java.io.File.pathSeparator)) {
                    classpath.add(workDir.resolve(entry).normalize());
                }
            } else if (arg.equals("--exclude-config")) {
                excludedConfigs.add(new Pattern[] {Pattern.compile(next(args, arg)), Pattern.compile(next(args, arg))});
            } else if (arg.startsWith("-")) {
                builderArgs.add(withOrigin(apiOption(arg, args, origin), (origin == null ? "user" : origin) + "+api"));
            } else {
                positional.add(arg);
            }
        }
    }

    static String next(Deque<String> args, String option) {
        if (args.isEmpty()) {
            throw new UsageError(option + " needs a value");
        }
        return args.poll();
    }

    void addJar(Path jar) throws IOException {
        jar = workDir.resolve(jar).normalize();
        jarMode = true;
        classpath.add(jar);
        try (JarFile file = new JarFile(jar.toFile())) {
            Attributes manifest = file.getManifest().getMainAttributes();
            mainClass = manifest.getValue("Main-Class");
            if (mainClass == null) {
                throw new UsageError("no Main-Class in the manifest of " + jar);
            }
            String classPath = manifest.getValue("Class-Path");
            if (classPath != null) {
                for (String entry : classPath.trim().split(" +")) {
                    classpath.add(jar.getParent().resolve(entry).normalize());
                }
            }
            for (String[] moduleOption : new String[][] {{"Add-Opens", "AddOpens"}, {"Add-Exports", "AddExports"}}) {
                String packages = manifest.getValue(moduleOption[0]);
                if (packages != null) {
                    for (String modulePackage : packages.trim().split(" +")) {
                        builderArgs.add(withOrigin("-H:" + moduleOption[1] + "=" + modulePackage + "=ALL-UNNAMED", DRIVER));
                    }
                }
            }
            if ("ALL-UNNAMED".equals(manifest.getValue("Enable-Native-Access"))) {
                javaArgs.add("--enable-native-access=ALL-UNNAMED");
            }
        }
    }

    /** The java launcher's @argfile form: whitespace-separated, quotes group, # starts a comment line. */
    static List<String> expandArgFiles(List<String> args) throws IOException {
        List<String> expanded = new ArrayList<>();
        for (String arg : args) {
            if (!arg.startsWith("@") || arg.startsWith("@@")) {
                expanded.add(arg.startsWith("@@") ? arg.substring(1) : arg);
                continue;
            }
            StringBuilder token = null;
            char quote = 0;
            for (String line : Files.readAllLines(Path.of(arg.substring(1)))) {
                if (quote == 0 && line.strip().startsWith("#")) {
                    continue;
                }
                for (int i = 0; i < line.length(); i++) {
                    char c = line.charAt(i);
                    if (quote != 0) {
                        if (c == quote) {
                            quote = 0;
                        } else if (c == '\\' && i + 1 < line.length()) {
                            token.append(line.charAt(++i));
                        } else {
                            token.append(c);
                        }
                    } else if (c == '"' || c == '\'') {
                        quote = c;
                        token = token == null ? new StringBuilder() : token;
                    } else if (Character.isWhitespace(c)) {
                        if (token != null) {
                            expanded.add(token.toString());
                            token = null;
                        }
                    } else {
                        token = token == null ? new StringBuilder() : token;
                        token.append(c);
                    }
                }
                if (quote == 0 && token != null) {
                    expanded.add(token.toString());
                    token = null;
                }
            }
            if (token != null) {
                expanded.add(token.toString());
            }
        }
        return expanded;
    }

    /** The value of the last -H:NAME= among the builder arguments so far, whatever its origin. */
    String lastValue(String prefix) {
        Pattern option = Pattern.compile("^" + Pattern.quote(prefix.substring(0, prefix.length() - 1)) + "(@[^=]*)?=");
        String value = null;
        for (String arg : builderArgs) {
            Matcher matcher = option.matcher(arg);
            if (matcher.find()) {
                value = arg.substring(matcher.end());
            }
        }
        return value;
    }

    // ---- META-INF/native-image of each class path entry ----

    void applyMetaInf(Path entry) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        String location;
        if (Files.isDirectory(entry)) {
            location = entry.toString();
            Path base = entry.resolve("META-INF/native-image");
            if (Files.isDirectory(base)) {
                try (Stream<Path> walk = Files.walk(base)) {
                    for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                        files.put(entry.relativize(file).toString(), Files.readAllBytes(file));
                    }
                }
            }
        } else if (Files.isRegularFile(entry)) {
            location = "";
            try (ZipFile zip = new ZipFile(entry.toFile())) {
                for (ZipEntry file : Collections.list(zip.entries())) {
                    if (!file.isDirectory() && file.getName().startsWith("META-INF/native-image/")) {
                        try (InputStream in = zip.getInputStream(file)) {
                            files.put(file.getName(), in.readAllBytes());
                        }
                    }
                }
            }
        } else {
            return; // a missing class path entry is allowed, as on the JVM
        }
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            String path = file.getKey();
            String name = path.substring(path.lastIndexOf('/') + 1);
            String matchPath = location.isEmpty() ? "/" + path : location + "/" + path;
            if (excluded(entry, matchPath) || !(name.equals("native-image.properties") || CONFIG_FILES.containsKey(name))) {
                continue;
            }
            if (name.equals("native-image.properties")) {
                Properties properties = new Properties();
                properties.load(new java.io.ByteArrayInputStream(file.getValue()));
                String componentDir = path.substring(0, path.lastIndexOf('/'));
                String origin = uri(entry, path);
                for (String javaArg : split(properties.getProperty("JavaArgs"), componentDir)) {
                    javaArgs.add(javaArg);
                }
                parse(new ArrayDeque<>(split(properties.getProperty("Args"), componentDir)), origin);
                String imageName = properties.getProperty("ImageName");
                if (imageName != null && positional.isEmpty() && lastValue("-H:Name=") == null) {
                    builderArgs.add(withOrigin("-H:Name=" + imageName, uri(entry, path)));
                }
            } else {
                builderArgs.add(withOrigin("-H:" + CONFIG_FILES.get(name) + "=" + path, uri(entry, path) + "+api"));
            }
        }
    }

    /** The URI of a file in a class path entry: jar:file:...!/path, or file:... in a directory. */
    static String uri(Path entry, String path) {
        return Files.isDirectory(entry) ? entry.resolve(path).toUri().toString() : "jar:" + entry.toUri() + "!/" + path;
    }

    boolean excluded(Path entry, String matchPath) {
        for (Pattern[] exclusion : excludedConfigs) {
            if (exclusion[0].matcher(entry.toString()).find() && exclusion[1].matcher(matchPath).find()) {
                return true;
            }
        }
        return false;
    }

    static List<String> split(String value, String componentDir) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        List<String> args = new ArrayList<>();
        for (String arg : value.trim().split("\\s+")) {
            arg = arg.replace("${.}", componentDir);
            if (arg.contains("${")) {
                throw new UsageError("unsupported substitution in native-image.properties: " + arg);
            }
            args.add(arg);
        }
        return args;
    }

    // ---- the builder's own API options ----

    /** One @APIOption of the builder: how a driver option maps onto the hosted option declared by the field. */
    record ApiOption(String token, String hostedOption, boolean isBoolean, boolean negated, String fixedValue,
                    String defaultValue, String separators, Function<Object, Object> transformer) {
    }

    /** Reads the @APIOption annotations of the builder's option classes (loaded, never initialised). */
    Map<String, List<ApiOption>> loadApiOptions() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (Path jar : jars(builderDir)) {
            urls.add(jar.toUri().toURL());
        }
        for (Path jar : jars(home.resolve("lib/jvmci"))) {
            urls.add(jar.toUri().toURL());
        }
        URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        byte[] marker = "APIOption;".getBytes(StandardCharsets.ISO_8859_1);
        Map<String, List<ApiOption>> options = new HashMap<>();
        for (Path jar : jars(builderDir)) {
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                for (ZipEntry entry : Collections.list(zip.entries())) {
                    String name = entry.getName();
                    if (!name.endsWith(".class") || !name.substring(name.lastIndexOf('/') + 1).contains("Option")) {
                        continue;
                    }
                    byte[] bytes;
                    try (InputStream in = zip.getInputStream(entry)) {
                        bytes = in.readAllBytes();
                    }
                    if (indexOf(bytes, marker) < 0) {
                        continue;
                    }
                    Class<?> type = Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false, loader);
                    for (Field field : type.getDeclaredFields()) {
                        for (Annotation annotation : field.getDeclaredAnnotations()) {
                            String annotationName = annotation.annotationType().getName();
                            if (annotationName.endsWith(".APIOption$List")) {
                                for (Annotation single : (Annotation[]) attribute(annotation, "value")) {
                                    addApiOption(options, field, single);
                                }
                            } else if (annotationName.endsWith(".APIOption")) {
                                addApiOption(options, field, annotation);
                            }
                        }
                    }
                }
            }
        }
        if (options.isEmpty()) {
            throw new IllegalStateException("found no @APIOption in the builder's jars");
        }
        return options;
    }

    @SuppressWarnings("unchecked")
    static void addApiOption(Map<String, List<ApiOption>> options, Field field, Annotation option) throws Exception {
        Type type = field.getGenericType();
        boolean isBoolean = type instanceof ParameterizedType p && p.getActualTypeArguments()[0] == Boolean.class;
        String[] fixed = (String[]) attribute(option, "fixedValue");
        String[] defaults = (String[]) attribute(option, "defaultValue");
        char[] separators = (char[]) attribute(option, "valueSeparator");
        Class<?> transformerClass = ((Class<?>[]) attribute(option, "valueTransformer"))[0];
        var constructor = transformerClass.getDeclaredConstructor();
        constructor.setAccessible(true);
        Function<Object, Object> transformer = (Function<Object, Object>) constructor.newInstance();
        String prefix = "--";
        Class<?> group = (Class<?>) attribute(option, "group");
        if (!group.getSimpleName().equals("NullGroup")) {
            var groupConstructor = group.getDeclaredConstructor();
            groupConstructor.setAccessible(true);
            Object groupInstance = groupConstructor.newInstance();
            Method groupName = group.getMethod("name");
            groupName.setAccessible(true);
            prefix = "--" + groupName.invoke(groupInstance) + "=";
        }
        for (String name : (String[]) attribute(option, "name")) {
            String token = name.startsWith("-") ? name : prefix + name;
            options.computeIfAbsent(token, k -> new ArrayList<>()).add(new ApiOption(token, field.getName(), isBoolean,
                    attribute(option, "kind").toString().equals("Negated"),
                    fixed.length > 0 ? fixed[0] : null, defaults.length > 0 ? defaults[0] : null,
                    new String(separators), transformer));
        }
    }

    /** The builder option for one driver option (taking its value from the next argument where the option says so). */
    String apiOption(String arg, Deque<String> rest, String origin) {
        for (Map.Entry<String, List<ApiOption>> candidate : apiOptions.entrySet()) {
            String token = candidate.getKey();
            for (ApiOption option : candidate.getValue()) {
                String value;
                if (arg.equals(token)) {
                    if (option.isBoolean || option.fixedValue != null) {
                        value = option.fixedValue;
                    } else if (option.separators.contains(" ")) {
                        value = next(rest, arg);
                    } else if (option.defaultValue != null) {
                        value = option.defaultValue;
                    } else {
                        throw new UsageError(arg + " needs a value (from " + (origin == null ? "the command line" : origin) + ")");
                    }
                } else if (option.separators.contains("=") && arg.startsWith(token + "=") && option.fixedValue == null) {
                    value = arg.substring(token.length() + 1);
                } else if (option.separators.contains("\0") && arg.startsWith(token) && option.fixedValue == null
                        && !token.startsWith("--")) {
                    value = arg.substring(token.length());
                } else {
                    continue;
                }
                if (option.isBoolean) {
                    return "-H:" + (option.negated ? "-" : "+") + option.hostedOption;
                }
                return "-H:" + option.hostedOption + "=" + option.transformer.apply(value);
            }
        }
        throw new UsageError("unsupported option " + arg + " (from " + (origin == null ? "the command line" : origin)
                + "): neither -J, -H:, -jar, -cp, --exclude-config nor one of the builder's API options");
    }

    // ---- the summary line ----

    /**
     * Stage times, peak RSS and the reachable counts from the builder's build-output JSON (written where Quarkus's
     * -H:BuildOutputJSONFile asked); the image heap and code sizes from the sections of the relocatable object.
     */
    String summary(Path objectDir, String imageName, double seconds) throws IOException {
        StringBuilder line = new StringBuilder("native-image builder: ").append(imageName)
                .append(String.format(" analysed, compiled and written (link left out) in %.0f s", seconds));
        if (!stages.isEmpty()) {
            line.append("; stages: ");
            stages.forEach((stage, time) -> line.append(stage).append(' ').append(time).append(", "));
            line.setLength(line.length() - 2);
        }
        String json = lastValue("-H:BuildOutputJSONFile=");
        if (json != null) {
            Path jsonFile = workDir.resolve(json);
            if (Files.isRegularFile(jsonFile)) {
                line.append("; ").append(buildOutputFigures(Files.readString(jsonFile)));
            }
        }
        try (Stream<Path> objects = Files.walk(objectDir)) {
            for (Path object : objects.filter(p -> p.getFileName().toString().equals(imageName + ".o")).toList()) {
                Map<String, Long> sections = elfSections(object);
                line.append(String.format("; object %.1f MB, image heap (.svm_heap) %.1f MB, code (.text) %.1f MB",
                        Files.size(object) / 1e6, sections.getOrDefault(".svm_heap", -1L) / 1e6, sections.getOrDefault(".text", -1L) / 1e6));
            }
        }
        return line.toString();
    }

    /** Reachable types, methods and fields, and the builder's peak RSS, from its build-output JSON. */
    static String buildOutputFigures(String json) {
        List<String> figures = new ArrayList<>();
        int analysis = json.indexOf("\"analysis_results\"");
        if (analysis >= 0) {
            for (String kind : List.of("types", "methods", "fields")) {
                Matcher matcher = Pattern.compile("\"" + kind + "\"\\s*:\\s*\\{[^}]*\"reachable\"\\s*:\\s*(\\d+)").matcher(json);
                if (matcher.find(analysis)) {
                    figures.add("reachable " + kind + " " + matcher.group(1));
                }
            }
        }
        Matcher peakRss = Pattern.compile("\"peak_rss_bytes\"\\s*:\\s*(\\d+)").matcher(json);
        if (peakRss.find()) {
            figures.add(String.format("peak RSS %.2f GB", Long.parseLong(peakRss.group(1)) / 1e9));
        }
        // On a shared machine the builder's CPU seconds (its average load times its wall time) move less than its
        // wall time does.
        Matcher cpu = Pattern.compile("\"cpu\"\\s*:\\s*\\{[^}]*\"load\"\\s*:\\s*([0-9.]+)[^}]*\\}\\s*,\\s*\"total_secs\"\\s*:\\s*([0-9.]+)").matcher(json);
        if (cpu.find()) {
            figures.add(String.format("CPU %.0f s (load %.2f)", Double.parseDouble(cpu.group(1)) * Double.parseDouble(cpu.group(2)),
                    Double.parseDouble(cpu.group(1))));
        }
        return String.join(", ", figures);
    }

    /** Section name -> size, from an ELF64 little-endian object's section headers. */
    static Map<String, Long> elfSections(Path object) throws IOException {
        Map<String, Long> sections = new LinkedHashMap<>();
        try (var channel = java.nio.channels.FileChannel.open(object)) {
            ByteBuffer header = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(header, 0);
            long shoff = header.getLong(0x28);
            int shentsize = Short.toUnsignedInt(header.getShort(0x3A));
            int shnum = Short.toUnsignedInt(header.getShort(0x3C));
            int shstrndx = Short.toUnsignedInt(header.getShort(0x3E));
            ByteBuffer table = ByteBuffer.allocate(shentsize * shnum).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(table, shoff);
            long namesOffset = table.getLong(shstrndx * shentsize + 0x18);
            int namesSize = (int) table.getLong(shstrndx * shentsize + 0x20);
            ByteBuffer names = ByteBuffer.allocate(namesSize);
            channel.read(names, namesOffset);
            for (int i = 0; i < shnum; i++) {
                int nameIndex = table.getInt(i * shentsize);
                int end = nameIndex;
                while (end < namesSize && names.get(end) != 0) {
                    end++;
                }
                String name = new String(names.array(), nameIndex, end - nameIndex, StandardCharsets.US_ASCII);
                sections.merge(name, table.getLong(i * shentsize + 0x20), Long::sum);
            }
        }
        return sections;
    }

    // ---- small things ----

    static Object attribute(Annotation annotation, String name) throws Exception {
        Method method = annotation.annotationType().getDeclaredMethod(name);
        method.setAccessible(true);
        return method.invoke(annotation);
    }

    static int indexOf(byte[] bytes, byte[] marker) {
        outer: for (int i = 0; i <= bytes.length - marker.length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (bytes[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static List<Path> jars(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
        }
    }

    static String join(List<Path> paths) {
        return String.join(java.io.File.pathSeparator, paths.stream().map(Path::toString).toList());
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path path : walk.sorted(Collections.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
