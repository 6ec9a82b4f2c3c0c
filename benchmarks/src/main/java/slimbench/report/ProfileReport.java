package slimbench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import slimbench.model.AtomicFile;
import slimbench.engine.OpProfile;
import slimbench.engine.OpProfile.Kind;
import slimbench.engine.Engines;
import slimbench.suite.ResultsCsv;

/**
 * What {@code profile} prints and writes: time per op type, each kernel class's rate against the
 * measured peak, the slowest convolutions; and the per-node CSV.
 */
public final class ProfileReport {
    /**
     * The per-node CSV's columns; {@code flops} and {@code gflops} are empty for nodes that are not
     * kernels, {@code gflops} also for a kernel whose time the trace's resolution rounded to 0.
     */
    public static final String[] COLUMNS = {"node", "op", "ms_median", "flops", "gflops"};

    private ProfileReport() {}

    /** The summary, with the {@code top} slowest convolution nodes (none for 0). */
    public static String text(OpProfile.Measured m, int top) {
        OpProfile p = m.ops();
        OpProfile.Options o = m.options();
        String precision = o.precision().label();
        StringBuilder s = new StringBuilder();
        s.append(f("%s %s %s, %d traced runs (medians), intra-op threads %s%n", o.model().label(), precision,
                m.source().tracedBy(), p.runs(),
                o.threads() > 0 ? o.threads() : Engines.title(o.engine().label()) + "'s choice"));
        // Both, since tracing costs time: the shares below are of the traced step.
        s.append(f("wall per inference: untraced %.3f ms (the benchmark's call%s); traced %.3f ms (%+.1f%%), "
                        + "of which the step in the trace spans %.3f ms%n", m.untracedMs(),
                m.source().untracedOn(), m.tracedCallMs(),
                100 * (m.tracedCallMs() / m.untracedMs() - 1), p.stepMs()));
        s.append(f("op time %.3f ms = %.1f%% of the traced step; outside ops (executor, between ops) %.3f ms = %.1f%%%n%n",
                p.opMs(), 100 * p.opMs() / p.stepMs(), p.stepMs() - p.opMs(), 100 * (1 - p.opMs() / p.stepMs())));

        s.append(f("%-42s %5s %10s %7s %7s %9s %9s%n", "op type", "nodes", "ms", "% ops", "% wall", "GFLOP", "GFLOP/s"));
        for (OpProfile.OpType t : p.types()) {
            s.append(f("%-42s %5d %10.3f %7.1f %7.1f %9s %9s", t.op(), t.nodes(), t.ms(), 100 * t.opShare(),
                    100 * t.wallShare(), t.flops() > 0 ? f("%.3f", t.flops() / 1e9) : "",
                    t.flops() > 0 ? rate(t.flops(), t.ms()) : "").stripTrailing()).append('\n');
        }

        s.append(f("%npeak: %.1f GFLOP/s %s (a square MatMul through TensorFlow, best of 5)%n", m.peakGflops(), precision));
        double elseShare = 1;
        for (Kind k : new Kind[] {Kind.CONVOLUTION, Kind.MATMUL}) {
            double ms = p.ms(k);
            if (ms > 0) {
                double gflops = p.flops(k) / (ms * 1e6);
                elseShare -= ms / p.opMs();
                s.append(f("%s kernels: %.1f GFLOP/s = %.1f%% of the %.1f GFLOP/s %s peak; they take %.1f%% of op time%n",
                        k == Kind.CONVOLUTION ? "convolution" : "matmul", gflops, 100 * gflops / m.peakGflops(),
                        m.peakGflops(), precision, 100 * ms / p.opMs()));
            }
        }
        s.append(f("everything else: %.1f%% of op time%n", 100 * elseShare));
        long flops = p.flops(Kind.CONVOLUTION) + p.flops(Kind.MATMUL);
        double extra = flops / 2.0 / m.modelMacs() - 1;
        s.append(f("kernel FLOPs: %.3f GFLOP = 2 x %.4f GMAC; the model counts %.4f GMAC (%+.2f%%)%s%n",
                flops / 1e9, flops / 2e9, m.modelMacs() / 1e9, 100 * extra,
                extra > 0.005 ? m.source().extraFlops() : ""));

        if (top > 0) {
            s.append(f("%nslowest convolution nodes:%n%10s %9s %9s  %-36s %s%n", "ms", "GFLOP", "GFLOP/s", "op", "node"));
            p.nodes().stream().filter(n -> n.kind() == Kind.CONVOLUTION)
                    .sorted(Comparator.comparingDouble(OpProfile.Node::ms).reversed()).limit(top)
                    .forEach(n -> s.append(f("%10.3f %9.4f %9s  %-36s %s%n", n.ms(), n.flops() / 1e9,
                            rate(n.flops(), n.ms()), n.op(), n.name())));
        }
        return s.toString();
    }

    /** Writes the per-node table, in execution order, atomically. */
    public static void writeCsv(Path file, OpProfile p) throws IOException {
        StringBuilder out = new StringBuilder();
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT)) {
            csv.printRecord((Object[]) COLUMNS);
            for (OpProfile.Node n : p.nodes()) {
                boolean kernel = n.kind() != Kind.OTHER;
                csv.printRecord(n.name(), n.op(), f("%.6f", n.ms()), kernel ? n.flops() : "",
                        kernel && n.ms() > 0 ? f("%.3f", n.gflops()) : "");
            }
        }
        AtomicFile.write(file, out.toString());
    }

    /** GFLOP/s, or "-" for a kernel whose time the trace's resolution rounded to 0. */
    private static String rate(long flops, double ms) {
        return ms > 0 ? f("%.1f", flops / (ms * 1e6)) : "-";
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
