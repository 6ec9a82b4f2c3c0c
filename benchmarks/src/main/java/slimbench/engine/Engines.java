package slimbench.engine;

import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import slimbench.model.Engine;

/**
 * The registry of engines: every {@link InferenceEngine} on the class path, found as a service,
 * by its name. The jar's own come first, in the order its services file lists them (TensorFlow,
 * ONNX Runtime, TensorRT), then any other the class path holds, so messages list them as before.
 */
public final class Engines {
    private static volatile List<InferenceEngine> all;

    private Engines() {}

    /** Every engine, the jar's own first. */
    public static List<InferenceEngine> all() {
        List<InferenceEngine> a = all;
        if (a == null) {
            CodeSource mine = Engines.class.getProtectionDomain().getCodeSource();
            List<InferenceEngine> found = new ArrayList<>();
            ServiceLoader.load(InferenceEngine.class, Engines.class.getClassLoader()).forEach(found::add);
            found.sort(Comparator.comparing((InferenceEngine e) ->
                    !Objects.equals(e.getClass().getProtectionDomain().getCodeSource(), mine)));
            all = a = List.copyOf(found);
        }
        return a;
    }

    /** The engine named {@code name}, or an error naming every engine there is. */
    public static InferenceEngine of(Engine name) {
        return of(name.label());
    }

    /** The engine spelled {@code label} on the command line, or an error naming every engine there is. */
    public static InferenceEngine of(String label) {
        return find(label).orElseThrow(() -> new IllegalArgumentException("unknown runtime '" + label + "'; valid: "
                + all().stream().map(e -> e.name().label()).collect(Collectors.joining(", "))));
    }

    /** The engine a results file names, if this jar has it (a file may come from another build). */
    public static Optional<InferenceEngine> find(String label) {
        return all().stream().filter(e -> e.name().label().equals(label)).findFirst();
    }

    /** How a reader knows the runtime a results file names: its title, or the label as recorded. */
    public static String title(String label) {
        return find(label).map(InferenceEngine::title).orElse(label);
    }

    /**
     * The engines a run that names none runs: those {@link InferenceEngine#byDefault} that load here
     * (each left out says why on stdout), or the default engine alone, whose cells then say why.
     */
    public static List<Engine> defaults() {
        List<InferenceEngine> asked = all().stream().filter(InferenceEngine::byDefault).toList();
        List<Engine> loaded = new ArrayList<>();
        List<String> why = new ArrayList<>();
        for (InferenceEngine e : asked) {
            e.loadProblem().ifPresentOrElse(why::add, () -> loaded.add(e.name()));
        }
        if (loaded.isEmpty()) {
            loaded.add(Engine.DEFAULT);
        }
        why.forEach(w -> System.out.println("runtimes: " + loaded.stream().map(Engine::label)
                .collect(Collectors.joining(", ")) + " only; " + w));
        return List.copyOf(loaded);
    }
}
