package slimbench.model;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one codec across the process boundary: a record as {@code name -> text}, one entry per
 * component, named as the component, and back. It is written once from the record's components,
 * so a new component (a new axis of {@link CellSpec}) or a new constant of a {@link Labelled} enum
 * crosses with no change here; a component of a type below that it cannot spell fails the first
 * round trip, in {@code RecordCodecTest}.
 *
 * <p>Spellings: a {@link Labelled} by its label, a {@link Scale} as {@link Scale#label()}, a
 * {@link Duration} in milliseconds, a list of strings space-separated (its elements hold no
 * blank: JVM arguments), a path made absolute (the other process may resolve it elsewhere), null
 * (an absent path or model) as the empty string.
 */
public final class RecordCodec {
    private RecordCodec() {}

    /** The components of {@code r}, in declaration order. */
    public static Map<String, String> encode(Record r) {
        Map<String, String> out = new LinkedHashMap<>();
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            try {
                out.put(c.getName(), spell(c.getAccessor().invoke(r)));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + c.getName() + " of " + r.getClass().getSimpleName(), e);
            }
        }
        return out;
    }

    /**
     * The record of {@code type} spelled in {@code text}; entries that name no component are left
     * for another record (one argument list can carry two).
     *
     * @throws IllegalArgumentException naming the component missing or misspelled
     */
    public static <R extends Record> R decode(Class<R> type, Map<String, String> text) {
        RecordComponent[] cs = type.getRecordComponents();
        Object[] values = new Object[cs.length];
        for (int i = 0; i < cs.length; i++) {
            String v = text.get(cs[i].getName());
            if (v == null) {
                throw new IllegalArgumentException("no " + cs[i].getName() + " for " + type.getSimpleName());
            }
            try {
                values[i] = read(cs[i].getType(), cs[i].getName(), v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(cs[i].getName() + " of " + type.getSimpleName() + " is '" + v
                        + "', not a number", e);
            }
        }
        try {
            Constructor<R> ctor = type.getDeclaredConstructor(
                    Arrays.stream(cs).map(RecordComponent::getType).toArray(Class<?>[]::new));
            return ctor.newInstance(values);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalArgumentException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make a " + type.getSimpleName(), e);
        }
    }

    /** {@code name=text} arguments, one per component. */
    public static List<String> arguments(Record r) {
        return encode(r).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }

    /**
     * Writes a record to a file, one {@code name=value} line per component (a value's line breaks
     * become spaces), atomically: how a child process hands its answer back.
     */
    public static void write(Path file, Record r) throws java.io.IOException {
        StringBuilder b = new StringBuilder();
        for (String a : arguments(r)) {
            b.append(a.replace('\r', ' ').replace('\n', ' ')).append('\n');
        }
        AtomicFile.write(file, b.toString());
    }

    /** Reads back what {@link #write} wrote. */
    public static <R extends Record> R read(Path file, Class<R> type) throws java.io.IOException {
        return decode(type, parseArguments(java.nio.file.Files.readAllLines(file, java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** The map {@link #arguments} spelled; an argument without {@code =} is an error naming it. */
    public static Map<String, String> parseArguments(List<String> args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("argument '" + a + "' is not name=value");
            }
            out.put(a.substring(0, eq), a.substring(eq + 1));
        }
        return out;
    }

    private static String spell(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Labelled l) {
            return l.label();
        }
        if (v instanceof Scale s) {
            return s.label();
        }
        if (v instanceof Duration d) {
            return Long.toString(d.toMillis());
        }
        if (v instanceof List<?> list) {
            return String.join(" ", list.stream().map(Object::toString).toList());
        }
        if (v instanceof Path p) {
            return p.toAbsolutePath().toString();
        }
        return v.toString();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object read(Class<?> type, String name, String v) {
        if (type == int.class) {
            return Integer.parseInt(v);
        }
        if (type == long.class) {
            return Long.parseLong(v);
        }
        if (type == double.class) {
            return Double.parseDouble(v);
        }
        if (type == boolean.class) {
            return Boolean.parseBoolean(v);
        }
        if (type == String.class) {
            return v;
        }
        if (v.isEmpty() && type != List.class) {
            return null;
        }
        if (type.isEnum() && Labelled.class.isAssignableFrom(type)) {
            return Labelled.of((Class) type, name, v);
        }
        if (type.isEnum()) {
            return Enum.valueOf((Class) type, v);
        }
        if (type == Engine.class) {
            return Engine.of(v);
        }
        if (type == Scale.class) {
            return Scale.parse(v);
        }
        if (type == Duration.class) {
            return Duration.ofMillis(Long.parseLong(v));
        }
        if (type == Path.class) {
            return Path.of(v);
        }
        if (type == List.class) {
            return v.isBlank() ? List.of() : List.of(v.trim().split("\\s+"));
        }
        throw new IllegalArgumentException("the codec cannot spell " + name + " of type " + type.getSimpleName());
    }
}
