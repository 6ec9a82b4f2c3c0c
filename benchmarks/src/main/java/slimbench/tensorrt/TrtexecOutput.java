package slimbench.tensorrt;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code trtexec} writes, read into types at the edge: its log, its {@code --exportTimes} JSON
 * and its {@code --exportOutput} JSON, in the formats of TensorRT 8.2, 8.5 and 10.x (docs/tensorrt.md
 * says where each line and field comes from and how the versions differ).
 */
public final class TrtexecOutput {
    private TrtexecOutput() {}

    /**
     * A log, as far as a cell needs it.
     *
     * @param builtSeconds        {@code Engine built in}: the build from the ONNX file (what it covers differs by version)
     * @param loadedSeconds       {@code Engine loaded in}: reading a saved engine
     * @param deserializedSeconds {@code Engine deserialized in} (8.5 and later), after either
     * @param failure             why it failed, in one line: the first node the ONNX parser could not
     *                            import, else the first error line; empty when it passed
     */
    public record Log(Optional<TrtVersion> version, Optional<String> device, OptionalDouble builtSeconds,
                      OptionalDouble loadedSeconds, OptionalDouble deserializedSeconds, boolean passed,
                      Optional<String> failure) {}

    private static final Pattern BUILT = Pattern.compile("\\] Engine built in (\\S+) sec\\.");
    private static final Pattern LOADED = Pattern.compile("\\] Engine loaded in (\\S+) sec\\.");
    private static final Pattern DESERIALIZED = Pattern.compile("\\] Engine deserialized in (\\S+) sec\\.");
    private static final Pattern DEVICE = Pattern.compile("\\] Selected Device: (.+)");
    private static final Pattern NODE = Pattern.compile("While parsing node number (\\d+) \\[(.+)]:");
    private static final Pattern REASON = Pattern.compile("^\\[\\d+] (.+)$", Pattern.MULTILINE);
    private static final Pattern ERROR = Pattern.compile("^(?:\\[[^]]*] )?\\[E] (.+)$", Pattern.MULTILINE);

    public static Log log(String text) {
        boolean passed = text.contains("&&&& PASSED TensorRT.trtexec");
        return new Log(TrtVersion.in(text), first(DEVICE, text).map(String::trim), seconds(BUILT, text),
                seconds(LOADED, text), seconds(DESERIALIZED, text), passed,
                passed ? Optional.empty() : Optional.of(failure(text)));
    }

    /** The first unsupported node with the parser's reason, else the first error, else the last line. */
    private static String failure(String text) {
        Matcher node = NODE.matcher(text);
        if (node.find()) {
            Matcher reason = REASON.matcher(text);
            String why = reason.find(node.end()) ? ": " + reason.group(1) : "";
            return "the ONNX parser stopped at node " + node.group(1) + " [" + node.group(2) + "]" + why;
        }
        Matcher error = ERROR.matcher(text);
        if (error.find()) {
            return error.group(1).trim();
        }
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        return lines.isEmpty() ? "no output" : lines.get(lines.size() - 1).trim();
    }

    /**
     * One inference of {@code --exportTimes}, in ms from the start of the run: when it was enqueued,
     * when its compute started, when its output was back on the host, and TensorRT's latency
     * (input copy + compute + output copy).
     */
    public record Inference(double startEnqMs, double startComputeMs, double endD2hMs, double latencyMs) {}

    /** Every inference of an {@code --exportTimes} file. */
    public static List<Inference> times(String json) {
        List<Inference> out = new ArrayList<>();
        for (JsonElement e : array(json, "--exportTimes")) {
            JsonObject o = object(e, "--exportTimes");
            out.add(new Inference(number(o, "startEnqMs"), number(o, "startComputeMs"), number(o, "endD2hMs"),
                    number(o, "latencyMs")));
        }
        return out;
    }

    /**
     * The timed inferences, by trtexec's own rule: those whose compute started at or after the
     * warm-up. TensorRT 8.2 exports its warm-up inferences too; later versions leave them out.
     */
    public static List<Inference> timed(List<Inference> all, double warmUpMs) {
        return all.stream().filter(i -> i.startComputeMs() >= warmUpMs).toList();
    }

    /** One output tensor of {@code --exportOutput}: its name, dimensions and values in row-major order. */
    public record Tensor(String name, int[] dimensions, float[] values) {}

    public static List<Tensor> outputs(String json) {
        List<Tensor> out = new ArrayList<>();
        for (JsonElement e : array(json, "--exportOutput")) {
            JsonObject o = object(e, "--exportOutput");
            if (!o.has("name") || !o.has("dimensions") || !o.has("values")) {
                throw new IllegalArgumentException("--exportOutput JSON: a tensor without name, dimensions or values");
            }
            int[] dims;
            float[] values;
            try {
                dims = Arrays.stream(o.get("dimensions").getAsString().split("x")).mapToInt(Integer::parseInt).toArray();
                JsonArray v = o.getAsJsonArray("values");
                values = new float[v.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = v.get(i).getAsFloat();
                }
            } catch (RuntimeException bad) { // gson's accessors throw several unchecked kinds on a wrong type
                throw new IllegalArgumentException("--exportOutput JSON: " + bad.getMessage(), bad);
            }
            if (Arrays.stream(dims).asLongStream().reduce(1, (a, b) -> a * b) != values.length) {
                throw new IllegalArgumentException("--exportOutput JSON: " + o.get("name").getAsString() + " has "
                        + values.length + " values for dimensions " + o.get("dimensions").getAsString());
            }
            out.add(new Tensor(o.get("name").getAsString(), dims, values));
        }
        return out;
    }

    private static JsonArray array(String json, String flag) {
        try {
            JsonElement root = JsonParser.parseString(json);
            if (!root.isJsonArray()) {
                throw new IllegalArgumentException(flag + " JSON is not an array");
            }
            return root.getAsJsonArray();
        } catch (JsonParseException | IllegalStateException | NumberFormatException e) {
            throw new IllegalArgumentException(flag + " JSON cannot be read: " + e.getMessage(), e);
        }
    }

    private static JsonObject object(JsonElement e, String flag) {
        if (!e.isJsonObject()) {
            throw new IllegalArgumentException(flag + " JSON: " + e + " is not an object");
        }
        return e.getAsJsonObject();
    }

    private static double number(JsonObject o, String field) {
        JsonElement e = o.get(field);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new IllegalArgumentException("--exportTimes JSON: an inference without a number " + field);
        }
        return e.getAsDouble();
    }

    private static Optional<String> first(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static OptionalDouble seconds(Pattern p, String text) {
        return first(p, text).map(s -> OptionalDouble.of(Double.parseDouble(s))).orElse(OptionalDouble.empty());
    }
}
