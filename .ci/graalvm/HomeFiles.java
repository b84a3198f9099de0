import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

/**
 * Writes the two things a GraalVM home assembled from Maven Central lacks and the image builder reads before it
 * starts analysing (run by .ci/graalvm/assemble on the home's own java):
 * <ul>
 * <li>{@code lib/svm/builder-exports.args}: the JDK-internal packages the builder's modules use, exported to exactly
 * the modules that use them (found with jdeps), as an argument file for the builder's JVM. GraalVM's driver carries
 * this list; the driver is not published.</li>
 * <li>{@code lib/svm/clibraries/linux-amd64/include/*.h}: the headers of SubstrateVM's C helper library whose layouts
 * the builder queries with the C compiler at build time (the CPU feature structs, the locale struct and its result
 * codes). They are written from the builder's own {@code @CStruct}/{@code @CField}/{@code @CConstant} interfaces,
 * so they match this builder version. They describe layouts only: the constants' values are this file's, which is
 * harmless because CI never links or runs the image.</li>
 * </ul>
 * Usage: java HomeFiles.java GRAALVM_HOME
 */
public class HomeFiles {

    static final String BUILDER_MODULE = "org.graalvm.nativeimage.builder";

    /** Header file name -> the builder's classes that describe its contents. */
    static final Map<String, List<String>> HEADERS = Map.of(
            "amd64cpufeatures.h", List.of("com.oracle.svm.core.amd64.AMD64LibCHelper$CPUFeatures"),
            "aarch64cpufeatures.h", List.of("com.oracle.svm.core.aarch64.AArch64LibCHelper$CPUFeatures"),
            "riscv64cpufeatures.h", List.of("com.oracle.svm.core.riscv64.RISCV64LibCHelper$CPUFeatures"),
            "svm_locale.h", List.of("com.oracle.svm.core.c.locale.LocaleCHelper",
                    "com.oracle.svm.core.c.locale.LocaleCHelper$LocaleProps"));

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]).toAbsolutePath();
        Path builder = home.resolve("lib/svm/builder");
        Path jvmci = home.resolve("lib/jvmci");
        writeExports(builder, jvmci, home.resolve("lib/svm/builder-exports.args"));
        writeHeaders(builder, jvmci, home.resolve("lib/svm/clibraries/linux-amd64/include"));
    }

    static List<Path> jars(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
        }
    }

    /** jdeps -verbose:package lists, per module of the builder, each package it uses and the module holding it. */
    static void writeExports(Path builder, Path jvmci, Path out) throws IOException {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new IllegalStateException("no jdeps in this JDK"));
        StringWriter output = new StringWriter();
        int status = jdeps.run(new PrintWriter(output), new PrintWriter(System.err), "--multi-release", "25",
                "--ignore-missing-deps", "-verbose:package", "--module-path", builder.toString(),
                "--upgrade-module-path", join(jars(jvmci)), "--module", BUILDER_MODULE, "--recursive");
        if (status != 0) {
            throw new IllegalStateException("jdeps failed with status " + status);
        }
        // Module lines "a.module -> other.module" name the module the package lines below them belong to;
        // package lines end with "JDK internal API (the.jdk.module)" when the package is not exported.
        Map<String, Set<String>> users = new TreeMap<>();
        String module = null;
        for (String line : output.toString().split("\n")) {
            if (!line.startsWith(" ") && line.contains(" -> ")) {
                module = line.substring(0, line.indexOf(' '));
            } else if (line.contains("JDK internal API (") && module != null) {
                String[] parts = line.trim().split("\\s+");
                String jdkModule = line.substring(line.lastIndexOf('(') + 1, line.lastIndexOf(')'));
                users.computeIfAbsent(jdkModule + "/" + parts[2], k -> new TreeSet<>()).add(module);
            }
        }
        if (users.isEmpty()) {
            throw new IllegalStateException("jdeps found no use of JDK-internal packages; its output changed?");
        }
        List<String> lines = new ArrayList<>();
        users.forEach((pkg, modules) -> lines.add("--add-exports=" + pkg + "=" + String.join(",", modules)));
        Files.write(out, lines);
        System.out.println("builder exports: " + lines.size() + " JDK-internal packages -> " + out);
    }

    static void writeHeaders(Path builder, Path jvmci, Path includeDir) throws Exception {
        List<URL> urls = new ArrayList<>();
        for (Path jar : jars(builder)) {
            urls.add(jar.toUri().toURL());
        }
        for (Path jar : jars(jvmci)) {
            urls.add(jar.toUri().toURL());
        }
        Files.createDirectories(includeDir);
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            for (Map.Entry<String, List<String>> header : new TreeMap<>(HEADERS).entrySet()) {
                StringBuilder text = new StringBuilder("/* Written by .ci/graalvm/HomeFiles.java from the image builder's "
                        + String.join(", ", header.getValue()) + ": layouts for the builder's C queries. */\n");
                String guard = header.getKey().toUpperCase().replaceAll("[^A-Z0-9]", "_");
                text.append("#ifndef ").append(guard).append("\n#define ").append(guard).append("\n");
                for (String className : header.getValue()) {
                    // Loaded, never initialised: only the annotations are read.
                    Class<?> type = Class.forName(className, false, loader);
                    text.append(annotation(type, "CStruct") != null ? struct(type) : constants(type));
                }
                text.append("#endif\n");
                Files.writeString(includeDir.resolve(header.getKey()), text);
            }
        }
        System.out.println("builder C headers: " + String.join(", ", new TreeSet<>(HEADERS.keySet())) + " -> " + includeDir);
    }

    /** typedef struct { ... } name; (or struct name { ... }; with addStructKeyword) from the @CField accessors. */
    static String struct(Class<?> type) throws Exception {
        Annotation cStruct = annotation(type, "CStruct");
        String name = (String) value(cStruct, "value");
        name = name.isEmpty() ? type.getSimpleName() : name;
        Set<String> fields = new LinkedHashSet<>();
        for (Method method : type.getDeclaredMethods()) {
            Annotation cField = annotation(method, "CField");
            if (cField == null || method.getParameterCount() != 0) {
                continue; // setters name the same fields as getters
            }
            String field = (String) value(cField, "value");
            fields.add("    " + cType(method.getReturnType()) + " " + (field.isEmpty() ? method.getName() : field) + ";");
        }
        if (fields.isEmpty()) {
            throw new IllegalStateException(type.getName() + " has no @CField accessors");
        }
        String body = String.join("\n", new TreeSet<>(fields)) + "\n";
        return (Boolean) value(cStruct, "addStructKeyword")
                ? "struct " + name + " {\n" + body + "};\n"
                : "typedef struct {\n" + body + "} " + name + ";\n";
    }

    /** #define NAME n for each @CConstant, numbered in name order. */
    static String constants(Class<?> type) throws Exception {
        Set<String> names = new TreeSet<>();
        for (Method method : type.getDeclaredMethods()) {
            Annotation cConstant = annotation(method, "CConstant");
            if (cConstant != null) {
                if (method.getReturnType() != int.class && method.getReturnType() != long.class) {
                    throw new IllegalStateException("not a numeric constant: " + method);
                }
                String name = (String) value(cConstant, "value");
                names.add(name.isEmpty() ? method.getName() : name);
            }
        }
        if (names.isEmpty()) {
            throw new IllegalStateException(type.getName() + " has no @CConstant");
        }
        StringBuilder text = new StringBuilder();
        int n = 0;
        for (String name : names) {
            text.append("#define ").append(name).append(' ').append(n++).append('\n');
        }
        return text.toString();
    }

    static String cType(Class<?> javaType) {
        if (javaType == boolean.class || javaType == byte.class) {
            return "char";
        } else if (javaType == short.class) {
            return "short";
        } else if (javaType == char.class) {
            return "unsigned short";
        } else if (javaType == int.class) {
            return "int";
        } else if (javaType == long.class) {
            return "long long";
        } else if (javaType == float.class) {
            return "float";
        } else if (javaType == double.class) {
            return "double";
        } else if (javaType.isInterface() && javaType.getName().startsWith("org.graalvm.")) {
            // words and pointers (CCharPointer and the like)
            return javaType.getSimpleName().equals("CCharPointer") ? "char *" : "void *";
        }
        throw new IllegalStateException("no C type for " + javaType);
    }

    static Annotation annotation(java.lang.reflect.AnnotatedElement element, String simpleName) {
        for (Annotation annotation : element.getDeclaredAnnotations()) {
            if (annotation.annotationType().getSimpleName().equals(simpleName)) {
                return annotation;
            }
        }
        return null;
    }

    static Object value(Annotation annotation, String attribute) throws Exception {
        return annotation.annotationType().getMethod(attribute).invoke(annotation);
    }

    static String join(List<Path> paths) {
        return String.join(java.io.File.pathSeparator, paths.stream().map(Path::toString).toList());
    }
}
