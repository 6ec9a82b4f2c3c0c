package slimbench.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import slimbench.model.AtomicFile;
import slimbench.model.Generator;
import slimbench.model.Model;
import slimbench.model.ModelFiles;
import slimbench.model.Optimize;
import slimbench.model.Precision;
import slimbench.model.RecordCodec;
import slimbench.model.Scale;

/**
 * TensorFlow's FP32 {@code ahead} answers for the accuracy guard, computed once per model and
 * scale in a child JVM and cached beside the graph ({@code fp32-ahead.reference}: the graph's
 * digest, then each image's probabilities as float bits), so that no measuring process ever holds
 * a second session: loaded into a cell's own JVM, the reference would stay resident there (its
 * memory counted as the cell's) and a TensorFlow session run before the measured one slows it.
 * A reference whose digest is not the graph's current record is made again.
 */
final class TensorFlowReference {
    /** Images in the cached reference: the most any guard asks for. */
    static final int IMAGES = 2;

    private TensorFlowReference() {}

    /** The reference's first {@code images} answers, made in a child JVM if not cached. */
    static float[][] probabilities(Path cache, Model model, Scale scale, int images) throws IOException {
        if (images > IMAGES) {
            throw new IllegalArgumentException("the cached reference holds " + IMAGES + " images, not " + images);
        }
        Path graph = ModelFiles.frozenPath(cache, model, Precision.FP32, Optimize.AHEAD, scale, 1);
        Optional<float[][]> cached = read(graph);
        if (cached.isEmpty()) {
            compute(cache, model, scale);
            cached = read(graph);
        }
        return java.util.Arrays.copyOf(cached.orElseThrow(() -> new IllegalStateException(
                "TensorFlow's fp32 reference for " + model + " was not written")), images);
    }

    /** Where the reference of a graph is cached. */
    static Path fileOf(Path graph) {
        return graph.resolveSibling(graph.getFileName().toString().replaceFirst("\\.pb$", "") + ".reference");
    }

    private static Optional<float[][]> read(Path graph) throws IOException {
        Path file = fileOf(graph);
        Optional<String> digest = ModelFiles.recordedSha256(graph);
        if (!Files.isRegularFile(file) || digest.isEmpty()) {
            return Optional.empty();
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        if (lines.size() != IMAGES + 1 || !lines.get(0).equals(digest.get())) {
            return Optional.empty();
        }
        List<float[]> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            rows.add(parse(line));
        }
        return Optional.of(rows.toArray(float[][]::new));
    }

    private static void compute(Path cache, Model model, Scale scale) throws IOException {
        List<String> cmd = ChildJvm.command(List.of("-XX:+UseSerialGC"), TensorFlowReference.class);
        cmd.addAll(RecordCodec.arguments(new Job(cache, model, scale)));
        Path errors = Files.createTempFile("slimbench-reference", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(errors.toFile()).start();
            int exit = p.waitFor();
            if (exit != 0) {
                List<String> err = Files.readAllLines(errors);
                throw new IllegalStateException("TensorFlow's fp32 reference for the accuracy guard failed (exit " + exit
                        + "): " + (err.isEmpty() ? "no message" : err.get(err.size() - 1)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for TensorFlow's fp32 reference", e);
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    /** What a reference process is asked to make, across the process boundary by the codec. */
    public record Job(Path cache, Model model, Scale scale) {}

    /** Arguments: a {@link Job}'s, {@code name=value}; writes the graph's reference file atomically. */
    public static void main(String[] a) throws IOException {
        Job job = RecordCodec.decode(Job.class, RecordCodec.parseArguments(List.of(a)));
        Path cache = job.cache();
        Model model = job.model();
        Scale scale = job.scale();
        Path graph = Generator.ensure(cache, model, Precision.FP32, Optimize.AHEAD, scale, 1).path();
        float[][] p = AccuracyGuard.probabilities(cache, model, scale, Precision.FP32, Optimize.AHEAD, IMAGES);
        StringBuilder b = new StringBuilder(ModelFiles.recordedSha256(graph).orElseThrow()).append('\n');
        for (float[] row : p) {
            for (int i = 0; i < row.length; i++) {
                b.append(i == 0 ? "" : " ").append(Integer.toHexString(Float.floatToRawIntBits(row[i])));
            }
            b.append('\n');
        }
        AtomicFile.write(fileOf(graph), b.toString());
    }

    private static float[] parse(String line) {
        String[] f = line.trim().split(" ");
        float[] v = new float[f.length];
        for (int i = 0; i < f.length; i++) {
            v[i] = Float.intBitsToFloat(Integer.parseUnsignedInt(f[i], 16));
        }
        return v;
    }
}
