package slimbench.model;

import com.google.protobuf.CodedOutputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

/**
 * Model files on disk: the frozen GraphDef the experiment benchmarked and a SavedModel of the same
 * graph with its weights as variables, each file written atomically (a temp file moved into place)
 * with its SHA-256 recorded beside it, so a torn or corrupted cache entry is noticed and regenerated instead of benchmarked.
 */
public final class ModelFiles {
    /** What was written: where, how many bytes, and the SHA-256 of those bytes. */
    public record Written(Path path, long bytes, String sha256) {}

    /**
     * The generator's output format, recorded with every file: a cache entry written by an older
     * SlimBench (whose graphs may differ) is made again rather than benchmarked. Bump it whenever
     * a change to the model code changes the bytes written.
     */
    static final String FORMAT = "format=3";

    /**
     * The ONNX translation's output format ({@link OnnxExport}), recorded with every {@code .onnx}
     * file apart from {@link #FORMAT}: a change to the translation remakes the ONNX files alone.
     */
    static final String ONNX_FORMAT = "onnx-format=1";

    /** What wrote the ONNX files, as their {@code producer_name}. */
    static final String ONNX_PRODUCER = "slimbench";

    /** The default cache of generated models (gitignored). */
    public static final Path DEFAULT_CACHE = Path.of("fixtures", "models");

    /** A SavedModel's graph file and variables folder, as TensorFlow's loader names them. */
    public static final String SAVED_MODEL_PB = "saved_model.pb";
    public static final String VARIABLES_DIR = "variables";

    private ModelFiles() {}

    /** Where the cache keeps a model's frozen graph for a precision, optimisation mode, scale and seed. */
    public static Path frozenPath(Path cache, Model model, Precision precision, Optimize optimize, Scale scale,
                                  long seed) {
        String dir = model.label() + (scale.isFull() ? "" : "-" + scale.tag());
        String name = precision.label() + "-" + optimize.label() + (seed == 1 ? "" : "-seed" + seed) + ".pb";
        return cache.resolve(dir).resolve(name);
    }

    /**
     * Where the cache keeps a model's ONNX file for a precision, scale and seed: beside its frozen
     * graphs, translated from the {@code ahead} one ({@link OnnxExport}), so it has no mode of its own.
     */
    public static Path onnxPath(Path cache, Model model, Precision precision, Scale scale, long seed) {
        return onnxPath(cache, model, precision, scale, seed, OnnxForm.UINT8_IMAGE);
    }

    /** {@link #onnxPath(Path, Model, Precision, Scale, long)} of a form: {@code fp32-float-input.onnx}. */
    public static Path onnxPath(Path cache, Model model, Precision precision, Scale scale, long seed, OnnxForm form) {
        Path frozen = frozenPath(cache, model, precision, Optimize.AHEAD, scale, seed);
        return frozen.resolveSibling(precision.label() + (seed == 1 ? "" : "-seed" + seed) + form.suffix() + ".onnx");
    }

    /** The smallest ONNX model, one {@code Identity} of a float {@code [1]}: what warms an engine before a cold shot. */
    public static byte[] identityOnnx() {
        return OnnxProto.identityModel();
    }

    /** Writes the ONNX model of a built (folded) network and its {@code .sha256} file, atomically. */
    public static Written writeOnnx(Model.Built built, Path file) throws IOException {
        return writeOnnx(built, file, OnnxForm.UINT8_IMAGE);
    }

    /** {@link #writeOnnx(Model.Built, Path)} in a form. */
    public static Written writeOnnx(Model.Built built, Path file, OnnxForm form) throws IOException {
        OnnxProto.Message onnx = OnnxExport.of(built, ONNX_PRODUCER, form);
        return write(file, onnx::writeTo);
    }

    /** Writes a frozen GraphDef and its {@code .sha256} file, atomically. */
    public static Written writeFrozen(GraphDef graph, Path file) throws IOException {
        return write(file, out -> {
            CodedOutputStream coded = CodedOutputStream.newInstance(out, 1 << 16);
            coded.useDeterministicSerialization();
            graph.writeTo(coded);
            coded.flush();
        });
    }

    /**
     * Writes an {@code ahead} graph with its filters in files of their own ({@link MappedWeights}):
     * the filters go to a fresh folder that replaces {@code fp32-ahead.weights} in one rename, then
     * the graph and its record. The graph's record is removed first, so an interrupted write never
     * looks complete.
     *
     * @return the graph file, with the bytes of the graph and its filters together
     */
    public static Written writeMapped(GraphDef graph, Path file) throws IOException {
        return writeMapped(graph, file, MappedWeights.MAX_REGION);
    }

    static Written writeMapped(GraphDef graph, Path file, long maxRegion) throws IOException {
        Path folder = MappedWeights.folderOf(file);
        MappedWeights.Split split = MappedWeights.split(graph, folder.getFileName().toString(), maxRegion);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.deleteIfExists(recordOf(file));
        Path tmp = AtomicFile.tempFolderBeside(folder);
        long bytes = 0;
        try {
            for (MappedWeights.Region r : split.regions()) {
                Path f = tmp.resolve(Path.of(r.name()).getFileName());
                try (var out = Files.newByteChannel(f, java.nio.file.StandardOpenOption.CREATE_NEW,
                        java.nio.file.StandardOpenOption.WRITE)) {
                    out.write(r.bytes().asReadOnlyByteBuffer());
                }
                bytes += r.bytes().size();
            }
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            AtomicFile.deleteTree(folder);
            Files.move(tmp, folder, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            AtomicFile.release(tmp);
        }
        Written g = writeFrozen(split.graph(), file);
        return new Written(file, g.bytes() + bytes, g.sha256());
    }

    /** The bytes of a model: a graph file and, for a mapped graph, its filters' folder; or a SavedModel folder. */
    public static long totalBytes(Path file) throws IOException {
        long bytes = 0;
        for (Path p : Files.isDirectory(file) ? List.of(file) : List.of(file, MappedWeights.folderOf(file))) {
            if (Files.exists(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    for (Path f : s.filter(Files::isRegularFile).toList()) {
                        bytes += Files.size(f);
                    }
                }
            }
        }
        return bytes;
    }

    /**
     * Writes a SavedModel directory as a TF1 export leaves it: {@code saved_model.pb} (the {@code serve}
     * tag, a {@code serving_default} signature, the graph with its weights as variables and the
     * saver that restores them) and {@code variables/variables.{index,data-00000-of-00001}} written by
     * TensorFlow's {@code SaveV2}. Every file gets its {@code .sha256} record; the variables go first
     * and {@code saved_model.pb} last, so an interrupted export never looks complete.
     *
     * @return what was written for {@code saved_model.pb}
     */
    public static Written writeSavedModel(Model.Built built, Path dir) throws IOException {
        int inputSize = built.model().inputSize(built.scale());
        int classes = built.model().classes(built.scale());
        SavedModels.WithVariables g = SavedModels.withVariables(built.graph(),
                built.variables().stream().map(Variable::name).toList());
        SignatureDef sig = SignatureDef.newBuilder()
                .setMethodName("tensorflow/serving/predict")
                .putInputs(Model.INPUT, TensorInfo.newBuilder().setName(Model.INPUT + ":0")
                        .setDtype(DataType.DT_UINT8).setTensorShape(GraphWriter.shapeProto(1, inputSize, inputSize, 3)).build())
                .putOutputs(Model.OUTPUT, TensorInfo.newBuilder().setName(Model.OUTPUT + ":0")
                        .setDtype(DataType.DT_FLOAT).setTensorShape(GraphWriter.shapeProto(1, classes)).build())
                .build();
        SavedModel saved = SavedModel.newBuilder().setSavedModelSchemaVersion(1)
                .addMetaGraphs(MetaGraphDef.newBuilder()
                        .setMetaInfoDef(MetaGraphDef.MetaInfoDef.newBuilder().addTags("serve"))
                        .setGraphDef(g.graph())
                        .setSaverDef(g.saver())
                        .putSignatureDef("serving_default", sig))
                .build();
        writeVariables(g.weights(), dir.resolve(VARIABLES_DIR));
        return write(dir.resolve(SAVED_MODEL_PB), out -> {
            CodedOutputStream coded = CodedOutputStream.newInstance(out, 1 << 16);
            coded.useDeterministicSerialization();
            saved.writeTo(coded);
            coded.flush();
        });
    }

    /**
     * TensorFlow writes the checkpoint into a fresh folder beside {@code variables/}; each file then
     * moves into place with its record, replacing what an earlier export left.
     */
    private static void writeVariables(List<NodeDef> weights, Path variables) throws IOException {
        Path parent = variables.toAbsolutePath().getParent();
        Files.createDirectories(variables);
        Path tmp = Files.createTempDirectory(parent, ".variables-");
        try {
            SavedModels.saveWeights(weights, tmp.resolve("variables"));
            List<Path> made;
            try (Stream<Path> s = Files.list(tmp)) {
                made = s.sorted().toList();
            }
            try (Stream<Path> s = Files.list(variables)) {
                for (Path old : s.toList()) {
                    if (old.getFileName().toString().startsWith("variables.")) {
                        Files.delete(old);
                    }
                }
            }
            for (Path f : made) {
                Path target = variables.resolve(f.getFileName());
                writeRecord(target, sha256(f), Files.size(f));
                AtomicFile.commit(f, target);
            }
        } finally {
            AtomicFile.deleteTree(tmp);
        }
    }

    /**
     * True when {@code file} exists and matches the size and SHA-256 recorded when it was written
     * and, for a mapped graph, every filter file matches the size and SHA-256 its graph records.
     * A file without its record, or with a different digest, is not trusted.
     */
    public static boolean verify(Path file) throws IOException {
        if (!verifyFile(file)) {
            return false;
        }
        Path folder = MappedWeights.folderOf(file);
        if (!Files.isDirectory(folder)) {
            return true;
        }
        GraphDef graph;
        try (InputStream in = Files.newInputStream(file)) {
            graph = GraphDef.parseFrom(in);
        }
        for (NodeDef n : MappedWeights.mapped(graph)) {
            Path f = folder.resolveSibling(MappedWeights.region(n));
            if (!Files.isRegularFile(f) || Files.size(f) != MappedWeights.bytes(n)
                    || !sha256(f).equals(MappedWeights.sha256(n))) {
                return false;
            }
        }
        return true;
    }

    /**
     * True when {@code file} has its record, of this format and size, without reading the file:
     * what a measuring process asks of a file whose digest was verified before it started, so that
     * the check leaves nothing of the file in the page cache.
     */
    public static boolean recorded(Path file) throws IOException {
        return recordFields(file) != null;
    }

    private static boolean verifyFile(Path file) throws IOException {
        String[] fields = recordFields(file);
        return fields != null && fields[0].equals(sha256(file));
    }

    /** The record's fields (digest, size, name, format) when it matches the file's size and this format. */
    private static String[] recordFields(Path file) throws IOException {
        Path record = recordOf(file);
        if (!Files.isRegularFile(file) || !Files.isRegularFile(record)) {
            return null;
        }
        String[] fields = Files.readString(record, StandardCharsets.UTF_8).trim().split("\\s+");
        if (fields.length < 4 || !fields[3].equals(formatOf(file)) || Files.size(file) != Long.parseLong(fields[1])) {
            return null;
        }
        return fields;
    }

    /** The digest recorded for {@code file} (no reading of the file), if it has a matching record. */
    public static java.util.Optional<String> recordedSha256(Path file) throws IOException {
        return java.util.Optional.ofNullable(recordFields(file)).map(f -> f[0]);
    }

    public static String sha256(Path file) throws IOException {
        MessageDigest md = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private static Written write(Path file, Body body) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
        } catch (AccessDeniedException e) {
            throw new IOException("cannot create output directory " + dir + ": permission denied", e);
        }
        if (!Files.isWritable(dir)) {
            throw new IOException("output directory " + dir + " is not writable");
        }
        Path tmp = AtomicFile.tempBeside(file);
        try {
            MessageDigest md = sha256();
            try (OutputStream out = new DigestOutputStream(
                    new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20), md)) {
                body.writeTo(out);
            }
            String digest = HexFormat.of().formatHex(md.digest());
            long size = Files.size(tmp);
            // The digest record goes first: a file without a matching record is never trusted.
            writeRecord(file, digest, size);
            AtomicFile.commit(tmp, file);
            return new Written(file, size, digest);
        } finally {
            AtomicFile.release(tmp);
        }
    }

    private static void writeRecord(Path file, String digest, long size) throws IOException {
        Path record = recordOf(file);
        Path recordTmp = AtomicFile.tempBeside(record);
        try {
            Files.writeString(recordTmp, digest + " " + size + " " + file.getFileName() + " " + formatOf(file) + "\n");
            AtomicFile.commit(recordTmp, record);
        } finally {
            AtomicFile.release(recordTmp);
        }
    }

    private static String formatOf(Path file) {
        return file.getFileName().toString().endsWith(".onnx") ? ONNX_FORMAT : FORMAT;
    }

    private static Path recordOf(Path file) {
        return file.resolveSibling(file.getFileName() + ".sha256");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
