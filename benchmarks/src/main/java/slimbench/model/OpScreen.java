package slimbench.model;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A user's model file screened before anything runs it: a graph that touches files, the network or
 * other processes is refused, as TensorFlow's own {@code saved_model_cli scan} refuses its deny list.
 * People point a benchmark at files from the internet, or at a pull request's model in CI; a
 * classifier has no reason to hold such ops, and a benchmark has no reason to run one.
 *
 * <p>Refused: the ops of {@link #DENIED} anywhere in a frozen GraphDef or a SavedModel, their
 * function libraries included ({@link TfGraphOps}: a SavedModel's own saver may keep its checkpoint
 * ops), an {@code ImmutableConst} that maps a file outside the graph's weights folder, and in an
 * ONNX file any node of an operator domain other than ONNX's own ({@link OnnxNodes}). {@code
 * --allow-op NAME} lets a user who knows the file through. The zoo's graphs never trip it.
 *
 * <p>A file that protobuf cannot read is passed on: TensorFlow and ONNX Runtime read the same wire
 * format and refuse it too, and their message says what is wrong with it.
 */
public final class OpScreen {
    /** An op found where it may not be: its name, its node, the function holding it (or null), what it does. */
    record Found(String op, String node, String function, String does) {
        String where() {
            return "node '" + node + "'" + (function == null ? "" : " of function '" + function + "'");
        }
    }

    /** The ops refused, each with what it does; every name is one TensorFlow 2.18 registers (OpScreenTest). */
    static final Map<String, String> DENIED = denied();

    /** ONNX's own operator domains; a node of any other runs an operator from outside the standard. */
    static final Set<String> ONNX_DOMAINS = Set.of("", "ai.onnx", "ai.onnx.ml");

    private OpScreen() {}

    private static Map<String, String> denied() {
        Map<String, String> d = new LinkedHashMap<>();
        // saved_model_cli scan's _OP_DENYLIST
        put(d, "writes a file", "WriteFile");
        put(d, "reads a file", "ReadFile");
        put(d, "prints, to a file if it names one", "PrintV2");
        put(d, "lists files", "MatchingFiles", "MatchingFilesDataset", "ExperimentalMatchingFilesDataset");
        put(d, "writes a checkpoint", "Save", "SaveSlices", "SaveV2", "MergeV2Checkpoints");
        put(d, "reads a checkpoint", "Restore", "RestoreSlice", "RestoreV2", "DTensorRestoreV2",
                "LoadAndRemapMatrix", "GenerateVocabRemapping");
        put(d, "reads files", "WholeFileReader", "WholeFileReaderV2", "TFRecordReader", "TFRecordReaderV2",
                "TextLineReader", "TextLineReaderV2", "FixedLengthRecordReader", "FixedLengthRecordReaderV2",
                "LMDBReader", "RecordInput", "InitializeTableFromTextFile", "InitializeTableFromTextFileV2",
                "TFRecordDataset", "TFRecordDatasetV2", "FixedLengthRecordDataset", "FixedLengthRecordDatasetV2",
                "TextLineDataset", "CSVDataset", "CSVDatasetV2", "ExperimentalCSVDataset", "LMDBDataset",
                "ExperimentalLMDBDataset", "SqlDataset", "ExperimentalSqlDataset", "LoadDataset",
                "SnapshotDatasetReader", "SnapshotNestedDatasetReader", "SnapshotChunkDataset",
                "ListSnapshotChunksDataset");
        put(d, "writes files", "CacheDataset", "CacheDatasetV2", "SnapshotDataset", "SnapshotDatasetV2",
                "SaveDataset", "SaveDatasetV2", "DistributedSave", "DatasetToTFRecord",
                "ExperimentalDatasetToTFRecord", "CreateSummaryFileWriter", "CreateSummaryDbWriter",
                "CalibrationStatisticsSaver", "DebugIdentity", "DebugIdentityV2", "DebugIdentityV3",
                "DebugNanCount", "DebugNumericSummary");
        put(d, "configures file systems", "FileSystemSetConfiguration");
        put(d, "talks to other processes over the network", "RpcServer", "RpcServerRegister", "RpcServerStart",
                "RpcClient", "RpcCall", "RpcCheckStatus", "RpcGetValue", "DataServiceDataset", "DataServiceDatasetV2",
                "DataServiceDatasetV3", "DataServiceDatasetV4", "RegisterDataset", "RegisterDatasetV2", "RemoteCall",
                "CollectiveAllToAllV2", "CollectiveAllToAllV3", "CollectiveAssignGroupV2", "CollectiveBcastRecv",
                "CollectiveBcastRecvV2", "CollectiveBcastSend", "CollectiveBcastSendV2", "CollectiveGather",
                "CollectiveGatherV2", "CollectiveInitializeCommunicator", "CollectivePermute", "CollectiveReduce",
                "CollectiveReduceScatterV2", "CollectiveReduceV2", "CollectiveReduceV3");
        put(d, "calls into Python", "PyFunc", "PyFuncStateless", "EagerPyFunc");
        return Map.copyOf(d);
    }

    private static void put(Map<String, String> d, String does, String... ops) {
        for (String op : ops) {
            d.put(op, does);
        }
    }

    /**
     * Refuses the file if it holds an op that is neither harmless nor in {@code allowed}.
     *
     * @param model   a frozen GraphDef, a SavedModel directory, an {@code .onnx} file, or null for the zoo
     * @param allowed op names the user lets through ({@code --allow-op}); an ONNX op as {@code domain:op_type}
     * @throws IllegalArgumentException one line naming the op and where it is
     */
    public static void check(Path model, Set<String> allowed) throws IOException {
        if (model == null) {
            if (!allowed.isEmpty()) {
                throw new IllegalArgumentException("--allow-op lets ops of a --model-file through, and there is none");
            }
            return;
        }
        List<Found> found = find(model).stream().filter(f -> !allowed.contains(f.op())).toList();
        if (found.isEmpty()) {
            return;
        }
        Found first = found.get(0);
        String more = found.size() == 1 ? "" : " (and " + (found.size() - 1) + " more: " + found.stream().skip(1).limit(3)
                .map(f -> f.op() + " at " + f.where()).collect(Collectors.joining(", ")) + (found.size() > 4 ? ", ..." : "") + ")";
        String ops = found.stream().map(Found::op).distinct().map(op -> "--allow-op " + op).collect(Collectors.joining(" "));
        throw new IllegalArgumentException("--model-file " + model + ": " + first.where() + " runs " + first.op() + ", which "
                + first.does() + more + "; SlimBench runs no model that touches files, the network or other processes ("
                + ops + " lets it through, if you trust the file)");
    }

    /** Every op of the file that may not run, in file order. */
    static List<Found> find(Path model) throws IOException {
        if (Files.isDirectory(model)) {
            return parsed(model.resolve(ModelFiles.SAVED_MODEL_PB), TfGraphOps::savedModel);
        }
        if (model.getFileName().toString().endsWith(".onnx")) {
            return parsed(model, OnnxNodes::custom);
        }
        return parsed(model, in -> TfGraphOps.frozen(in, model));
    }

    private interface Reader {
        List<Found> read(CodedInputStream in) throws IOException;
    }

    /**
     * The findings of a file read from a read-only mapping: the weights inside it (tensor contents,
     * initializers) are aliased, never copied onto the heap.
     */
    private static List<Found> parsed(Path file, Reader reader) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) > Integer.MAX_VALUE) {
            return List.of(); // no protobuf reads it: the loader says so
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MappedByteBuffer bytes = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.enableAliasing(true);
            in.setSizeLimit(Integer.MAX_VALUE);
            return reader.read(in);
        } catch (InvalidProtocolBufferException e) {
            return List.of();
        }
    }
}
