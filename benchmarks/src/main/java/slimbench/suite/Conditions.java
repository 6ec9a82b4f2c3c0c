package slimbench.suite;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import slimbench.bench.Runtime;

/**
 * The run conditions written beside every results CSV ({@code conditions.csv}, {@code key,value}):
 * the device as the probes see it, the TensorFlow runtime, and the suite's own settings.
 */
public final class Conditions {
    private Conditions() {}

    public static Map<String, String> collect(SuiteOptions o) {
        Map<String, String> c = new LinkedHashMap<>(device());
        c.put("suite.preset", o.preset());
        c.put("suite.threads", o.threads().toString());
        c.put("suite.cold_forks", Integer.toString(o.coldForks()));
        c.put("suite.steady_forks", Integer.toString(o.steadyForks()));
        c.put("suite.iterations", o.warmups() + " warm-up + " + o.iterations() + " measured, each >= "
                + o.iterationTime().toMillis() + " ms and >= 100 inferences");
        c.put("suite.cell_timeout_s", Long.toString(o.cellTimeout().toSeconds()));
        c.put("suite.memory_limit", o.memoryLimit() == 0 ? "none" : (o.memoryLimit() >> 20) + " MiB (runner-enforced)");
        c.put("suite.scale", o.scale());
        return c;
    }

    /** What `doctor` shows and every run records: the device and the runtime. */
    public static Map<String, String> device() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("jvm", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"));
        c.put("os.arch", System.getProperty("os.arch"));
        c.put("tf.version", Runtime.tensorflowVersion());
        c.put("tf.native", Runtime.nativePlatform());
        c.put("tf.tensorrt", Runtime.hasTensorRt() ? "yes (TRTEngineOp registered)" : "no (TRTEngineOp not registered)");
        c.put("tf.onednn", "TF_ENABLE_ONEDNN_OPTS=" + System.getenv().getOrDefault("TF_ENABLE_ONEDNN_OPTS", "(default: on for x86_64)"));
        return c;
    }

    public static void write(Path file, Map<String, String> conditions) throws IOException {
        StringWriter w = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(w, CSVFormat.DEFAULT)) {
            p.printRecord("key", "value");
            for (var e : conditions.entrySet()) {
                p.printRecord(e.getKey(), e.getValue());
            }
        }
        ResultsCsv.writeAtomically(file, w.toString());
    }
}
