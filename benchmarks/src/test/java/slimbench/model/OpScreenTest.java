package slimbench.model;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.TensorFlow;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.FunctionDefLibrary;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NameAttrList;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.OpDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * The screen of a user's model file: a graph that writes a file (under a control dependency, or in
 * a library function), a SavedModel whose serving output reaches its saver's SaveV2, a mapped filter
 * outside the weights folder and an ONNX node of a custom domain are refused, each named with where
 * it is; {@code --allow-op} lets one through; every graph and ONNX file the zoo generates passes.
 */
public class OpScreenTest {
    @TempDir
    Path tmp;

    /** A classifier's outline: uint8 {@code input}, {@code scores} [1, 1001], and a WriteFile it waits for. */
    public static GraphDef evilGraph(Path target) {
        return GraphDef.newBuilder()
                .addNode(placeholder("input"))
                .addNode(stringConst("path", target.toString()))
                .addNode(stringConst("contents", "written by a model file"))
                .addNode(NodeDef.newBuilder().setName("log").setOp("WriteFile").addInput("path").addInput("contents"))
                .addNode(NodeDef.newBuilder().setName("logits").setOp("Const")
                        .putAttr("dtype", type(DataType.DT_FLOAT))
                        .putAttr("value", AttrValue.newBuilder().setTensor(TensorProto.newBuilder()
                                .setDtype(DataType.DT_FLOAT).setTensorShape(shape(1, 1001)).addFloatVal(0)).build()))
                .addNode(NodeDef.newBuilder().setName("scores").setOp("Softmax").addInput("logits").addInput("^log")
                        .putAttr("T", type(DataType.DT_FLOAT)))
                .build();
    }

    @Test
    void aWriteFileUnderAControlDependencyIsRefusedByName() throws IOException {
        Path evil = Files.write(tmp.resolve("evil.pb"), evilGraph(tmp.resolve("pwned")).toByteArray());
        List<OpScreen.Found> found = OpScreen.find(evil);
        assertEquals(1, found.size(), found.toString());
        assertEquals("WriteFile", found.get(0).op());
        assertEquals("node 'log'", found.get(0).where());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OpScreen.check(evil, Set.of()));
        assertEquals("--model-file " + evil + ": node 'log' runs WriteFile, which writes a file; SlimBench runs no "
                + "model that touches files, the network or other processes (--allow-op WriteFile lets it through, "
                + "if you trust the file)", e.getMessage());
        assertDoesNotThrow(() -> OpScreen.check(evil, Set.of("WriteFile")));
    }

    @Test
    void anOpInALibraryFunctionIsNamedWithItsFunction() throws IOException {
        FunctionDef fn = FunctionDef.newBuilder().setSignature(OpDef.newBuilder().setName("helper"))
                .addNodeDef(stringConst("pattern", "/home/*"))
                .addNodeDef(NodeDef.newBuilder().setName("glob").setOp("MatchingFiles").addInput("pattern:output:0"))
                .build();
        GraphDef g = GraphDef.newBuilder().addNode(placeholder("input"))
                .addNode(NodeDef.newBuilder().setName("call").setOp("PartitionedCall")
                        .putAttr("f", AttrValue.newBuilder().setFunc(NameAttrList.newBuilder().setName("helper")).build()))
                .setLibrary(FunctionDefLibrary.newBuilder().addFunction(fn)).build();
        Path file = Files.write(tmp.resolve("glob.pb"), g.toByteArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OpScreen.check(file, Set.of()));
        assertTrue(e.getMessage().contains("node 'glob' of function 'helper' runs MatchingFiles, which lists files"),
                e.getMessage());
    }

    @Test
    void severalAreNamedOnOneLine() throws IOException {
        GraphDef g = evilGraph(tmp.resolve("a")).toBuilder()
                .addNode(NodeDef.newBuilder().setName("peek").setOp("ReadFile").addInput("path"))
                .addNode(NodeDef.newBuilder().setName("py").setOp("EagerPyFunc")).build();
        Path file = Files.write(tmp.resolve("many.pb"), g.toByteArray());
        String m = assertThrows(IllegalArgumentException.class, () -> OpScreen.check(file, Set.of("EagerPyFunc")))
                .getMessage();
        assertEquals(1, m.lines().count(), m);
        assertTrue(m.contains("node 'log' runs WriteFile, which writes a file (and 1 more: ReadFile at node 'peek')"), m);
        assertTrue(m.contains("(--allow-op WriteFile --allow-op ReadFile lets it through"), m);
    }

    @Test
    void aSavedModelKeepsItsSaverButNotASaveItsOutputRuns() throws IOException {
        Model.Built built = Model.MOBILENET_V1.build(Scale.TINY, Precision.FP32, Optimize.AT_LOAD, Weights.seeded(1));
        Path saved = tmp.resolve("saved");
        ModelFiles.writeSavedModel(built, saved);
        assertEquals(List.of(), OpScreen.find(saved), "the zoo's SavedModel: SaveV2 and RestoreV2 are its saver's");

        SavedModel s = SavedModel.parseFrom(Files.readAllBytes(saved.resolve(ModelFiles.SAVED_MODEL_PB)));
        MetaGraphDef.Builder meta = s.getMetaGraphs(0).toBuilder();
        SignatureDef.Builder sig = meta.getSignatureDefOrThrow("serving_default").toBuilder();
        sig.putOutputs("leak", TensorInfo.newBuilder().setName("save/control_dependency:0").build());
        meta.putSignatureDef("serving_default", sig.build());
        Path evil = tmp.resolve("evil-saved");
        Files.createDirectories(evil);
        Files.write(evil.resolve(ModelFiles.SAVED_MODEL_PB), s.toBuilder().setMetaGraphs(0, meta).build().toByteArray());
        List<OpScreen.Found> found = OpScreen.find(evil);
        assertEquals(1, found.size(), found.toString());
        assertEquals("save/SaveV2", found.get(0).node(), "an output that runs the save writes a checkpoint");
    }

    @Test
    void aMappedFilterOutsideTheWeightsFolderIsRefused() throws IOException {
        NodeDef mapped = NodeDef.newBuilder().setName("filter").setOp(MappedWeights.OP)
                .putAttr("dtype", type(DataType.DT_FLOAT)).putAttr("shape", AttrValue.newBuilder().setShape(shape(1)).build())
                .putAttr(MappedWeights.REGION, AttrValue.newBuilder().setS(ByteString.copyFromUtf8("/etc/hostname")).build())
                .build();
        Path file = Files.write(tmp.resolve("m.pb"), GraphDef.newBuilder().addNode(mapped).build().toByteArray());
        Files.createDirectories(MappedWeights.folderOf(file));
        List<OpScreen.Found> found = OpScreen.find(file);
        assertEquals(1, found.size(), found.toString());
        assertTrue(found.get(0).does().contains("'/etc/hostname'"), found.toString());

        NodeDef escape = mapped.toBuilder().putAttr(MappedWeights.REGION,
                AttrValue.newBuilder().setS(ByteString.copyFromUtf8("m.weights/../../x.bin")).build()).build();
        Files.write(file, GraphDef.newBuilder().addNode(escape).build().toByteArray());
        assertEquals(1, OpScreen.find(file).size(), "a .. out of the folder");
    }

    @Test
    void anOnnxNodeOfACustomDomainIsRefusedAndALocalFunctionCallIsNot() throws IOException {
        OnnxProto.Message node = new OnnxProto.Message().string(1, "x").string(2, "y").string(3, "shell")
                .string(4, "System").string(7, "com.evil");
        OnnxProto.Message call = new OnnxProto.Message().string(1, "y").string(2, "z").string(3, "call")
                .string(4, "Helper").string(7, "local");
        OnnxProto.Message inner = new OnnxProto.Message().string(1, "a").string(2, "b").string(3, "relu")
                .string(4, "Relu");
        OnnxProto.Message function = new OnnxProto.Message().string(1, "Helper").message(7, inner).string(10, "local");
        OnnxProto.Message graph = new OnnxProto.Message().message(1, node).message(1, call).string(2, "g");
        Path file = tmp.resolve("custom.onnx");
        try (var out = Files.newOutputStream(file)) {
            new OnnxProto.Message().int64(1, 8).message(7, graph).message(25, function).writeTo(out);
        }
        List<OpScreen.Found> found = OpScreen.find(file);
        assertEquals(1, found.size(), found.toString());
        assertEquals("com.evil:System", found.get(0).op());
        assertEquals("node 'shell'", found.get(0).where());
        assertDoesNotThrow(() -> OpScreen.check(file, Set.of("com.evil:System")));
    }

    @Test
    void aFileProtobufCannotReadIsLeftToTheLoader() throws IOException {
        Path junk = Files.write(tmp.resolve("junk.pb"), new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
        assertEquals(List.of(), OpScreen.find(junk));
    }

    /** Each name on the list is one TensorFlow registers: a misspelt name would refuse nothing. */
    @Test
    void everyRefusedOpIsATensorFlowOp() {
        Set<String> registered = new java.util.HashSet<>();
        TensorFlow.registeredOpList().getOpList().forEach(op -> registered.add(op.getName()));
        List<String> unknown = OpScreen.DENIED.keySet().stream().filter(op -> !registered.contains(op)).sorted().toList();
        assertEquals(List.of(), unknown);
        assertTrue(OpScreen.DENIED.keySet().containsAll(List.of("WriteFile", "ReadFile", "PrintV2")),
                "saved_model_cli scan's own list");
    }

    /** Every file the zoo generates, at tiny scale: each model in each precision, optimize and runtime's format. */
    @Test
    void theZoosGraphsPass() throws IOException {
        List<String> tripped = new ArrayList<>();
        int mapped = 0;
        for (Model m : Model.values()) {
            for (Precision p : Precision.values()) {
                for (Optimize o : Optimize.values()) {
                    Path f = Generator.ensure(tmp, m, p, o, Scale.TINY, 1).path();
                    OpScreen.find(f).forEach(x -> tripped.add(f + ": " + x));
                    mapped += MappedWeights.mapped(GraphDef.parseFrom(Files.readAllBytes(f))).size();
                }
                if (p != Precision.BF16) {
                    Path onnx = Generator.ensureOnnx(tmp, m, p, Scale.TINY, 1).path();
                    OpScreen.find(onnx).forEach(x -> tripped.add(onnx + ": " + x));
                }
            }
            Path saved = tmp.resolve(m.label() + "-savedmodel");
            ModelFiles.writeSavedModel(m.build(Scale.TINY, Precision.FP32, Optimize.AHEAD, Weights.seeded(1)), saved);
            OpScreen.find(saved).forEach(x -> tripped.add(saved + ": " + x));
        }
        assertEquals(List.of(), tripped);
        assertTrue(mapped > 0, "the ahead graphs map their filters: ImmutableConst is screened, and passes");
    }

    private static NodeDef placeholder(String name) {
        return NodeDef.newBuilder().setName(name).setOp("Placeholder").putAttr("dtype", type(DataType.DT_UINT8))
                .putAttr("shape", AttrValue.newBuilder().setShape(shape(1, 224, 224, 3)).build()).build();
    }

    private static NodeDef stringConst(String name, String value) {
        return NodeDef.newBuilder().setName(name).setOp("Const").putAttr("dtype", type(DataType.DT_STRING))
                .putAttr("value", AttrValue.newBuilder().setTensor(TensorProto.newBuilder().setDtype(DataType.DT_STRING)
                        .setTensorShape(TensorShapeProto.getDefaultInstance())
                        .addStringVal(ByteString.copyFromUtf8(value))).build())
                .build();
    }

    private static AttrValue type(DataType t) {
        return AttrValue.newBuilder().setType(t).build();
    }

    private static TensorShapeProto shape(long... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : dims) {
            s.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
        }
        return s.build();
    }
}
