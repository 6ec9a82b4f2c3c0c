package slimbench.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import slimbench.model.Model;
import slimbench.model.ModelFiles;
import slimbench.model.Optimize;
import slimbench.model.Precision;
import slimbench.model.Scale;
import slimbench.model.Variable;

/** {@code models}: the zoo, counted from the architectures themselves (no weights are made). */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "Lists the fifteen models: input size, classes, parameters (frozen float count), MACs, "
                + "and the size of each variant's frozen graph and ONNX file in the cache (generated on demand by other commands).",
        footerHeading = "%nExamples:%n",
        footer = {"  java -jar benchmarks.jar models", "  java -jar benchmarks.jar models --csv",
                "  java -jar benchmarks.jar models --variables vgg_16"})
final class ModelsCommand implements Callable<Integer> {
    @Option(names = "--csv", description = "CSV instead of a table.")
    boolean csv;

    @Option(names = "--variables", paramLabel = "MODEL", description = "List every variable of MODEL with its shape.")
    String variables;

    @Option(names = "--cache", paramLabel = "DIR", description = "Model cache (default: ${DEFAULT-VALUE}).")
    Path cache = ModelFiles.DEFAULT_CACHE;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (variables != null) {
            Model m = Model.of(variables);
            for (Variable v : m.describe(Scale.FULL).variables()) {
                out.println(csv ? v.name() + "," + String.join("x", java.util.Arrays.stream(v.shape())
                        .mapToObj(Integer::toString).toList()) : String.format(Locale.ROOT, "%-80s %s", v.name(), v.shapeString()));
            }
            out.flush();
            return 0;
        }
        List<String> header = new ArrayList<>(List.of("model", "input", "classes", "parameters", "macs"));
        for (Precision p : Precision.values()) {
            for (Optimize o : Optimize.values()) {
                header.add(p.label() + "_" + o.label() + "_mib");
            }
        }
        for (Precision p : ONNX) {
            header.add(p.label() + "_onnx_mib");
        }
        List<List<String>> rows = new ArrayList<>();
        for (Model m : Model.values()) {
            Model.Built b = m.describe(Scale.FULL);
            List<String> row = new ArrayList<>(List.of(m.label(), Integer.toString(m.inputSize(Scale.FULL)),
                    Integer.toString(m.classes(Scale.FULL)), Long.toString(b.parameters()), Long.toString(b.macs())));
            for (Precision p : Precision.values()) {
                for (Optimize o : Optimize.values()) {
                    Path f = ModelFiles.frozenPath(cache, m, p, o, Scale.FULL, 1);
                    row.add(mib(f));
                }
            }
            for (Precision p : ONNX) {
                row.add(mib(ModelFiles.onnxPath(cache, m, p, Scale.FULL, 1)));
            }
            rows.add(row);
        }
        if (csv) {
            try (CSVPrinter p = new CSVPrinter(out, CSVFormat.DEFAULT)) {
                p.printRecord(header);
                p.printRecords(rows);
            }
        } else {
            out.printf(Locale.ROOT, "%-20s %5s %7s %13s %9s   %s%n", "model", "input", "classes", "parameters", "GMACs",
                    "frozen .pb MiB: fp32 at-load / fp32 ahead / fp16 at-load / fp16 ahead / bf16 at-load / bf16 ahead; "
                            + ".onnx MiB: fp32 / fp16 (- not generated)");
            for (List<String> r : rows) {
                out.printf(Locale.ROOT, "%-20s %5s %7s %,13d %9.2f   %s%n", r.get(0), r.get(1), r.get(2),
                        Long.parseLong(r.get(3)), Long.parseLong(r.get(4)) / 1e9,
                        String.join(" / ", r.subList(5, r.size()).stream().map(s -> s.isEmpty() ? "-" : s).toList()));
            }
        }
        out.flush();
        return 0;
    }

    /** The precisions with an ONNX file. */
    private static final List<Precision> ONNX = List.of(Precision.FP32, Precision.FP16);

    private static String mib(Path f) throws IOException {
        return Files.isRegularFile(f) ? String.format(Locale.ROOT, "%.2f", ModelFiles.totalBytes(f) / (double) (1 << 20)) : "";
    }
}
