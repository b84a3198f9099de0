package dev.messengerhandover;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.messengerhandover.admin.ThreadView;
import dev.messengerhandover.bot.BedrockBot;
import dev.messengerhandover.bot.HttpBotContract;
import dev.messengerhandover.bot.LexBot;
import dev.messengerhandover.graph.GraphApi;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What the native image needs of the code, read from the classes: every type of ours that Jackson writes or reads by
 * reflection (Graph's bodies, the operator API's answers, what the bots are sent) is registered for reflection, down
 * to the types of its components; and nothing makes classes at run time, which a native image cannot load. CI's
 * native step checks the same registrations in the configuration Quarkus hands the image builder
 * ({@code .ci/check-native.mjs}); this runs with every build.
 */
class NativeReflectionTest {

    private static final Pattern CLASSES_AT_RUN_TIME = Pattern.compile(
            "Proxy\\.newProxyInstance|\\.defineClass\\(|defineHiddenClass|LambdaMetafactory|ByteBuddy|javassist"
                    + "|AfterburnerModule|BlackbirdModule|ClassLoader\\.getSystemClassLoader\\(\\)\\.loadClass");

    @Test
    void everyTypeJacksonBindsByReflectionIsRegistered() {
        var roots = new ArrayList<Type>(List.of(HttpBotContract.Request.class, BedrockBot.Converse.class,
                LexBot.RecognizeText.class, ThreadView.class));
        for (var method : GraphApi.class.getDeclaredMethods()) {
            roots.add(method.getGenericReturnType());
            roots.addAll(List.of(method.getGenericParameterTypes()));
        }
        var bound = bound(roots);
        assertThat(bound).as("Jackson-bound types found").hasSizeGreaterThan(30)
                .contains(BedrockBot.Converse.class, BedrockBot.ToolSpec.class, HttpBotContract.Line.class);
        assertThat(bound).as("registered for reflection (@RegisterForReflection)")
                .allMatch(c -> c.isAnnotationPresent(RegisterForReflection.class));
    }

    @Test
    void nothingMakesClassesAtRunTime() throws IOException {
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            var offending = sources.filter(p -> p.toString().endsWith(".java")).filter(p -> {
                try {
                    return CLASSES_AT_RUN_TIME.matcher(Files.readString(p)).find();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
            assertThat(offending).isEmpty();
        }
    }

    /** Our own classes reachable from {@code roots} through type arguments and record components. */
    private static Set<Class<?>> bound(List<Type> roots) {
        var seen = new HashSet<Class<?>>();
        var todo = new ArrayDeque<Type>(roots);
        while (!todo.isEmpty()) {
            var type = todo.pop();
            switch (type) {
                case ParameterizedType p -> {
                    todo.push(p.getRawType());
                    todo.addAll(List.of(p.getActualTypeArguments()));
                }
                case GenericArrayType a -> todo.push(a.getGenericComponentType());
                case Class<?> c when c.isArray() -> todo.push(c.getComponentType());
                case Class<?> c when c.getName().startsWith("dev.messengerhandover.") && seen.add(c) -> {
                    if (c.isRecord()) {
                        for (var component : c.getRecordComponents()) {
                            todo.push(component.getGenericType());
                        }
                    }
                }
                default -> {
                    // the JDK's, Jackson's, Mutiny's: not ours to register
                }
            }
        }
        return seen;
    }
}
