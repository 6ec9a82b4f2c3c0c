package slimbench.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TString;

/**
 * Real slim weights: a TensorFlow checkpoint (V2 {@code .index}/{@code .data}, or the V1 single file
 * of the 2016 tarballs) read with TensorFlow's own {@code RestoreV2}, every variable by its slim
 * name. All missing variables and shape mismatches are collected and reported together.
 */
public final class Checkpoint {
    private static final int LISTED = 40;

    private Checkpoint() {}

    /**
     * Restores every variable of {@code expected} from a checkpoint directory, prefix, or
     * {@code .tar.gz}/{@code .tgz} as slim publishes them.
     *
     * @throws IllegalArgumentException listing every missing variable and every shape mismatch
     */
    public static Map<String, float[]> restore(Path source, List<Variable> expected) throws IOException {
        Path tmp = null;
        try {
            Path where = source;
            if (isTarball(source)) {
                tmp = Files.createTempDirectory("slimbench-ckpt");
                extract(source, tmp);
                where = tmp;
            }
            return restorePrefix(prefix(where), expected, source);
        } finally {
            if (tmp != null) {
                AtomicFile.deleteTree(tmp);
            }
        }
    }

    /** Writes a V2 checkpoint with TensorFlow's {@code SaveV2}: what a training job would leave. */
    public static void save(Path prefix, Map<String, float[]> values, Map<String, int[]> shapes) {
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            List<String> names = new ArrayList<>(values.keySet());
            List<Operand<?>> tensors = new ArrayList<>();
            for (String n : names) {
                long[] dims = Arrays.stream(shapes.get(n)).asLongStream().toArray();
                tensors.add(tf.constant(Shape.of(dims), DataBuffers.of(values.get(n), true, false)));
            }
            var save = tf.train.save(tf.constant(prefix.toString()), tf.constant(NdArrays.vectorOfObjects(names.toArray(String[]::new))),
                    tf.constant(NdArrays.vectorOfObjects(names.stream().map(n -> "").toArray(String[]::new))), tensors);
            s.runner().addTarget(save).run();
        }
    }

    private static Map<String, float[]> restorePrefix(String prefix, List<Variable> expected, Path source) {
        Map<String, float[]> values = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            Operand<TString> p = tf.constant(prefix);
            // One restore per variable, run one at a time: a missing name fails only its own run.
            for (Variable v : expected) {
                var restore = tf.train.restore(p, tf.constant(NdArrays.vectorOfObjects(v.name())), tf.constant(NdArrays.vectorOfObjects("")),
                        List.of(TFloat32.class));
                try (Result r = s.runner().fetch(restore.tensors().get(0)).run()) {
                    Tensor t = r.get(0);
                    long[] dims = t.shape().asArray();
                    if (!Arrays.equals(dims, Arrays.stream(v.shape()).asLongStream().toArray())) {
                        mismatched.add(v.name() + " is " + Arrays.toString(dims) + ", expected " + v.shapeString());
                        continue;
                    }
                    float[] a = new float[(int) t.shape().size()];
                    ((TFloat32) t).asRawTensor().data().asFloats().read(a);
                    values.put(v.name(), a);
                } catch (TensorFlowException e) {
                    // What TensorFlow 2.18 says (RestoreV2 over a V2 bundle, or a V1 file through its fallback):
                    //   "Key <name> not found in checkpoint"                   the name is absent
                    //   "Tensor name \"<name>\" not found in checkpoint files"  same, V1
                    //   "... expected dtype float does not equal original dtype half"  a dtype mismatch
                    // Anything else ("not an sstable (bad magic number)", "Read less bytes than requested",
                    // a missing data file, ...) is about the files, not this variable: stop at the first.
                    String m = firstLine(String.valueOf(e.getMessage()));
                    if (m.contains("not found in checkpoint")) {
                        missing.add(v.name());
                    } else if (m.contains("dtype")) {
                        mismatched.add(v.name() + ": " + m);
                    } else {
                        throw new IllegalArgumentException(source + " is not a readable TensorFlow checkpoint"
                                + (source.toString().equals(prefix) ? "" : " (prefix " + prefix + ")") + ": " + m, e);
                    }
                }
            }
        }
        if (!missing.isEmpty() || !mismatched.isEmpty()) {
            StringBuilder b = new StringBuilder("checkpoint " + source + " does not fit the model:");
            if (missing.size() == expected.size()) {
                b.append("\n  none of the model's ").append(expected.size())
                        .append(" variables is in it: is it another model's checkpoint?");
            }
            if (!missing.isEmpty()) {
                b.append("\n  missing (").append(missing.size()).append("): ").append(listed(missing, ", "));
            }
            if (!mismatched.isEmpty()) {
                b.append("\n  wrong shape (").append(mismatched.size()).append("): ").append(listed(mismatched, "; "));
            }
            throw new IllegalArgumentException(b.toString());
        }
        return values;
    }

    /** The checkpoint prefix in a directory (V2: {@code X.index}; V1: a {@code *.ckpt} file), or the path itself. */
    static String prefix(Path where) throws IOException {
        if (!Files.exists(where) && !Files.exists(Path.of(where + ".index"))) {
            throw new IllegalArgumentException("checkpoint " + where + " does not exist");
        }
        if (!Files.isDirectory(where)) {
            String s = where.toString();
            return s.endsWith(".index") ? s.substring(0, s.length() - ".index".length()) : s;
        }
        try (Stream<Path> files = Files.walk(where, 3)) {
            List<Path> all = files.filter(Files::isRegularFile).sorted().toList();
            for (Path f : all) {
                String n = f.toString();
                if (n.endsWith(".index")) {
                    return n.substring(0, n.length() - ".index".length());
                }
            }
            for (Path f : all) {
                if (f.getFileName().toString().endsWith(".ckpt")) {
                    return f.toString();
                }
            }
        }
        throw new IllegalArgumentException(where + " holds no TensorFlow checkpoint (no *.index or *.ckpt file)");
    }

    private static boolean isTarball(Path p) {
        String n = p.getFileName().toString();
        return Files.isRegularFile(p) && (n.endsWith(".tar.gz") || n.endsWith(".tgz"));
    }

    private static void extract(Path tarball, Path into) throws IOException {
        try (InputStream in = Files.newInputStream(tarball);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                Path target = into.resolve(e.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IllegalArgumentException(tarball + " has an entry outside its root: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else if (e.isFile()) {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target);
                }
            }
        } catch (IOException e) {
            String why = e instanceof java.io.EOFException || e.getMessage() == null
                    ? "it ends early (truncated download?)" : e.getMessage();
            throw new IllegalArgumentException(tarball + " is not a readable .tar.gz: " + why, e);
        }
    }

    /** At most {@value #LISTED} items, then how many more: a wrong model's checkpoint misses hundreds. */
    private static String listed(List<String> items, String separator) {
        if (items.size() <= LISTED) {
            return String.join(separator, items);
        }
        return String.join(separator, items.subList(0, LISTED)) + separator + "... and " + (items.size() - LISTED)
                + " more";
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
