package slimbench.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.types.TUint8;
import slimbench.model.ModelFiles;

/**
 * A SavedModel directory loaded for benchmarking, behind {@link LoadedModel}. The directory is
 * checked first (a {@code serve} graph, its variables files all present), so a broken export fails
 * with the missing file's name instead of TensorFlow's "uninitialized value" at the first inference:
 * TensorFlow's loader silently skips the restore when {@code variables.index} is absent.
 *
 * <p>Phases, as for a frozen graph: {@code read} is reading {@code saved_model.pb}; {@code import}
 * is parsing and checking it, then TensorFlow's loader, which imports the graph, makes the session
 * and restores the variables in one call; {@code session} is therefore 0.
 */
final class SavedModelLoader {
    static final String TAG = "serve";
    static final String SIGNATURE = "serving_default";
    private static final Pattern SHARD = Pattern.compile("variables\\.data-(\\d{5})-of-(\\d{5})");

    private SavedModelLoader() {}

    /**
     * @param o whose input name is a key of the {@code serving_default} signature's inputs or a
     *          node name, and its output name one of its outputs or a node name
     */
    static LoadedModel load(Path dir, LoadOptions o) throws IOException {
        Consumer<String> onPhase = o.onPhase();
        long t0 = System.nanoTime();
        Path pb = dir.resolve(ModelFiles.SAVED_MODEL_PB);
        if (!Files.isRegularFile(pb)) {
            throw new IllegalArgumentException(dir + " is a directory but not a SavedModel: it has no "
                    + ModelFiles.SAVED_MODEL_PB);
        }
        byte[] bytes = Files.readAllBytes(pb);
        long t1 = System.nanoTime();
        onPhase.accept("read");
        MetaGraphDef meta = serveGraph(pb, bytes);
        bytes = null;
        if (meta.hasSaverDef() && !meta.getSaverDef().getRestoreOpName().isEmpty()) {
            requireVariables(dir.resolve(ModelFiles.VARIABLES_DIR));
        }
        SignatureDef sig = meta.getSignatureDefOrDefault(SIGNATURE, SignatureDef.getDefaultInstance());
        String input = tensorName(sig.getInputsMap().get(o.inputName()), o.inputName());
        String output = tensorName(sig.getOutputsMap().get(o.outputName()), o.outputName());
        TensorFlowRuntime.requireOps(meta.getGraphDef());
        int size = LoadedModel.inputSize(meta.getGraphDef(), LoadedModel.opName(input));
        meta = null; // the bundle parses its own copy
        SavedModelBundle bundle;
        try {
            bundle = SavedModelBundle.loader(dir.toString()).withTags(TAG)
                    .withConfigProto(LoadedModel.config(o)).load();
        } catch (TensorFlowException e) {
            throw new IllegalArgumentException("TensorFlow cannot load the SavedModel " + dir + ": "
                    + firstLine(e.getMessage()), e);
        }
        long t2 = System.nanoTime();
        onPhase.accept("import");
        onPhase.accept("session");
        try {
            TUint8 in = Images.deterministic(size);
            return new LoadedModel(bundle.graph(), bundle.session(), in, input, output,
                    new Inference.Phases(t1 - t0, t2 - t1, 0), bundle);
        } catch (RuntimeException | Error e) {
            bundle.close();
            throw e;
        }
    }

    private static MetaGraphDef serveGraph(Path pb, byte[] bytes) {
        SavedModel saved;
        try {
            saved = SavedModel.parseFrom(bytes);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(pb + " is not a SavedModel proto: " + e.getMessage(), e);
        }
        return saved.getMetaGraphsList().stream()
                .filter(m -> m.getMetaInfoDef().getTagsList().contains(TAG)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(pb + " has no meta graph tagged '" + TAG + "' (tags: "
                        + saved.getMetaGraphsList().stream().map(m -> m.getMetaInfoDef().getTagsList()).toList() + ")"));
    }

    /**
     * Every file the restore will open: {@code variables.index} and each data shard its name
     * promises ({@code -00000-of-00002} promises two).
     */
    static void requireVariables(Path variables) throws IOException {
        Path index = variables.resolve("variables.index");
        if (!Files.isRegularFile(index)) {
            throw new IllegalArgumentException("SavedModel variables file missing: " + index
                    + " (the graph restores variables, so the export is incomplete)");
        }
        int shards = -1;
        List<String> present = new ArrayList<>();
        try (Stream<Path> s = Files.list(variables)) {
            for (Path p : s.toList()) {
                Matcher m = SHARD.matcher(p.getFileName().toString());
                if (m.matches()) {
                    present.add(p.getFileName().toString());
                    shards = Math.max(shards, Integer.parseInt(m.group(2)));
                }
            }
        }
        if (shards < 0) {
            throw new IllegalArgumentException("SavedModel variables file missing: "
                    + variables.resolve("variables.data-00000-of-00001")
                    + " (no variables.data-* file beside " + index.getFileName() + ")");
        }
        for (int i = 0; i < shards; i++) {
            String name = String.format("variables.data-%05d-of-%05d", i, shards);
            if (!present.contains(name)) {
                throw new IllegalArgumentException("SavedModel variables file missing: " + variables.resolve(name));
            }
        }
    }

    /** The tensor a signature entry names, else {@code name} itself taken as a node of the graph. */
    private static String tensorName(TensorInfo info, String name) {
        return info != null && !info.getName().isEmpty() ? info.getName() : name;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
