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
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

/**
 * Model files on disk: the frozen GraphDef the experiment benchmarked and a SavedModel of the same
 * graph, each written atomically (a temp file moved into place) with its SHA-256 recorded beside it,
 * so a torn or corrupted cache entry is noticed and regenerated instead of benchmarked.
 */
public final class ModelFiles {
    /** What was written: where, how many bytes, and the SHA-256 of those bytes. */
    public record Written(Path path, long bytes, String sha256) {}

    /** The default cache of generated models (gitignored). */
    public static final Path DEFAULT_CACHE = Path.of("fixtures", "models");

    private ModelFiles() {}

    /** Where the cache keeps a model's frozen graph for a precision, optimisation mode, scale and seed. */
    public static Path frozenPath(Path cache, Model model, Precision precision, Optimize optimize, Scale scale,
                                  long seed) {
        String dir = model.label() + (scale.isFull() ? "" : "-" + scale.tag());
        String name = precision.label() + "-" + optimize.label() + (seed == 1 ? "" : "-seed" + seed) + ".pb";
        return cache.resolve(dir).resolve(name);
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
     * Writes a SavedModel directory ({@code saved_model.pb} with the {@code serve} tag and a
     * {@code serving_default} signature) holding the frozen graph: weights stay constants, so the
     * {@code variables/} folder is empty, as TensorFlow's loader accepts.
     */
    public static Written writeSavedModel(GraphDef graph, Path dir, int inputSize, int classes) throws IOException {
        SignatureDef sig = SignatureDef.newBuilder()
                .setMethodName("tensorflow/serving/predict")
                .putInputs(Model.INPUT, TensorInfo.newBuilder().setName(Model.INPUT + ":0")
                        .setDtype(DataType.DT_UINT8).setTensorShape(Net.shapeProto(1, inputSize, inputSize, 3)).build())
                .putOutputs(Model.OUTPUT, TensorInfo.newBuilder().setName(Model.OUTPUT + ":0")
                        .setDtype(DataType.DT_FLOAT).setTensorShape(Net.shapeProto(1, classes)).build())
                .build();
        SavedModel saved = SavedModel.newBuilder().setSavedModelSchemaVersion(1)
                .addMetaGraphs(MetaGraphDef.newBuilder()
                        .setMetaInfoDef(MetaGraphDef.MetaInfoDef.newBuilder().addTags("serve"))
                        .setGraphDef(graph)
                        .putSignatureDef("serving_default", sig))
                .build();
        Files.createDirectories(dir.resolve("variables"));
        return write(dir.resolve("saved_model.pb"), out -> {
            CodedOutputStream coded = CodedOutputStream.newInstance(out, 1 << 16);
            coded.useDeterministicSerialization();
            saved.writeTo(coded);
            coded.flush();
        });
    }

    /**
     * True when {@code file} exists and matches the size and SHA-256 recorded when it was written.
     * A file without its record, or with a different digest, is not trusted.
     */
    public static boolean verify(Path file) throws IOException {
        Path record = recordOf(file);
        if (!Files.isRegularFile(file) || !Files.isRegularFile(record)) {
            return false;
        }
        String[] fields = Files.readString(record, StandardCharsets.UTF_8).trim().split("\\s+");
        if (fields.length < 2 || Files.size(file) != Long.parseLong(fields[1])) {
            return false;
        }
        return fields[0].equals(sha256(file));
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
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            MessageDigest md = sha256();
            try (OutputStream out = new DigestOutputStream(
                    new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20), md)) {
                body.writeTo(out);
            }
            String digest = HexFormat.of().formatHex(md.digest());
            long size = Files.size(tmp);
            // The digest record goes first: a file without a matching record is never trusted.
            Path record = recordOf(file);
            Path recordTmp = Files.createTempFile(dir, "." + record.getFileName(), ".tmp");
            Files.writeString(recordTmp, digest + " " + size + " " + file.getFileName() + "\n");
            Files.move(recordTmp, record, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new Written(file, size, digest);
        } finally {
            Files.deleteIfExists(tmp);
        }
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
