package slimbench.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;
import slimbench.engine.LoadOptions;
import slimbench.engine.Images;
import slimbench.engine.LoadedModel;

/** A SavedModel with real variables: TensorFlow's loader restores them and the answers match the frozen graph. */
class SavedModelTest {
    @TempDir
    Path dir;

    static Stream<Arguments> cells() {
        return Stream.of(
                Arguments.of(Model.MOBILENET_V1, Precision.FP32, Optimize.AT_LOAD),
                Arguments.of(Model.RESNET_V1_50, Precision.FP32, Optimize.AT_LOAD),
                Arguments.of(Model.INCEPTION_V3, Precision.FP16, Optimize.AT_LOAD),
                Arguments.of(Model.MOBILENET_V2, Precision.FP32, Optimize.AHEAD),
                Arguments.of(Model.VGG_16, Precision.BF16, Optimize.AHEAD));
    }

    @ParameterizedTest
    @MethodSource("cells")
    void loaderRestoresTheWeightsAndMatchesTheFrozenGraph(Model model, Precision precision, Optimize optimize)
            throws Exception {
        Model.Built built = model.build(Scale.TINY, precision, optimize, Weights.seeded(1));
        Path saved = dir.resolve("saved");
        ModelFiles.writeSavedModel(built, saved);
        assertTrue(Files.isRegularFile(saved.resolve("variables/variables.index")));
        assertTrue(Files.isRegularFile(saved.resolve("variables/variables.data-00000-of-00001")));
        assertTrue(ModelFiles.verify(saved.resolve("saved_model.pb")));
        assertTrue(ModelFiles.verify(saved.resolve("variables/variables.index")));

        int size = model.inputSize(Scale.TINY);
        float[] frozen = frozenProbabilities(built.graph(), size);
        try (SavedModelBundle b = SavedModelBundle.loader(saved.toString()).withTags("serve").load()) {
            long constWeights = b.metaGraphDef().getGraphDef().getNodeList().stream()
                    .filter(n -> n.getOp().equals("Const") && n.getName().endsWith("weights")).count();
            assertEquals(0, constWeights, "weights must be variables, not constants");
            try (TUint8 in = Images.deterministic(size);
                 Result r = b.function("serving_default").call(java.util.Map.of(Model.INPUT, in))) {
                float[] p = floats(r.get(Model.OUTPUT).orElseThrow());
                assertArrayEquals(frozen, p, 1e-6f);
            }
        }
        // The benchmark's own loader, through the directory.
        try (LoadedModel m = LoadedModel.load(saved, LoadOptions.zoo(optimize, 1))) {
            m.inferAndCheck();
            m.inferDiscarding();
            try (TFloat32 out = m.infer()) {
                assertArrayEquals(frozen, floats(out), 1e-6f);
            }
        }
    }

    @Test
    void savedModelPbIsByteIdenticalAcrossExports() throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        ModelFiles.Written wa = ModelFiles.writeSavedModel(
                Model.INCEPTION_V1.build(Scale.TINY, Precision.FP32, Optimize.AT_LOAD, Weights.seeded(3)), a);
        ModelFiles.Written wb = ModelFiles.writeSavedModel(
                Model.INCEPTION_V1.build(Scale.TINY, Precision.FP32, Optimize.AT_LOAD, Weights.seeded(3)), b);
        assertEquals(wa.sha256(), wb.sha256());
        // TensorFlow's checkpoint writer is deterministic too: same bytes for the same tensors.
        for (String f : List.of("variables/variables.index", "variables/variables.data-00000-of-00001")) {
            assertEquals(ModelFiles.sha256(a.resolve(f)), ModelFiles.sha256(b.resolve(f)), f);
        }
        ModelFiles.Written other = ModelFiles.writeSavedModel(
                Model.INCEPTION_V1.build(Scale.TINY, Precision.FP32, Optimize.AT_LOAD, Weights.seeded(4)),
                dir.resolve("c"));
        // Weights live in variables/, so another seed changes the data, not the graph.
        assertEquals(wa.sha256(), other.sha256());
        assertTrue(!ModelFiles.sha256(a.resolve("variables/variables.data-00000-of-00001"))
                .equals(ModelFiles.sha256(dir.resolve("c/variables/variables.data-00000-of-00001"))));
    }

    @Test
    void missingVariablesFileFailsWithItsName() throws Exception {
        Path saved = dir.resolve("saved");
        ModelFiles.writeSavedModel(
                Model.MOBILENET_V1.build(Scale.TINY, Precision.FP32, Optimize.AT_LOAD, Weights.seeded(1)), saved);
        Path data = saved.resolve("variables/variables.data-00000-of-00001");
        Files.delete(data);
        var e = assertThrows(IllegalArgumentException.class,
                () -> LoadedModel.load(saved, LoadOptions.zoo(Optimize.AT_LOAD, 1)).close());
        assertTrue(e.getMessage().contains("variables.data-00000-of-00001"), e.getMessage());

        Files.delete(saved.resolve("variables/variables.index"));
        e = assertThrows(IllegalArgumentException.class, () -> LoadedModel.load(saved, LoadOptions.zoo(Optimize.AT_LOAD, 1)).close());
        assertTrue(e.getMessage().contains("variables.index"), e.getMessage());
    }

    @Test
    void truncatedVariablesFileFailsCleanly() throws Exception {
        Path saved = dir.resolve("saved");
        ModelFiles.writeSavedModel(
                Model.MOBILENET_V1.build(Scale.TINY, Precision.FP32, Optimize.AT_LOAD, Weights.seeded(1)), saved);
        Path data = saved.resolve("variables/variables.data-00000-of-00001");
        byte[] bytes = Files.readAllBytes(data);
        Files.write(data, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        var e = assertThrows(IllegalArgumentException.class,
                () -> LoadedModel.load(saved, LoadOptions.zoo(Optimize.AT_LOAD, 1)).close());
        System.out.println("truncated variables: " + e.getMessage());
        assertTrue(e.getMessage().contains("cannot load the SavedModel"), e.getMessage());
    }

    @Test
    void directoryWithoutSavedModelIsRefused() throws Exception {
        var e = assertThrows(IllegalArgumentException.class, () -> LoadedModel.load(dir, LoadOptions.zoo(Optimize.AT_LOAD, 1)));
        assertTrue(e.getMessage().contains("saved_model.pb"), e.getMessage());
    }

    @Test
    void weightsAreVariablesReadBySlimNames() {
        Model.Built built = Model.RESNET_V1_50.build(Scale.TINY, Precision.FP32, Optimize.AT_LOAD, Weights.seeded(1));
        var g = SavedModels.withVariables(built.graph(), built.variables().stream().map(Variable::name).toList());
        GraphDef def = g.graph();
        String name = built.variables().get(0).name();
        NodeDef v = def.getNodeList().stream().filter(n -> n.getName().equals(name)).findFirst().orElseThrow();
        assertEquals("VariableV2", v.getOp());
        assertEquals(built.variables().size(), g.weights().size());
        assertTrue(def.getNodeList().stream().noneMatch(n -> !n.getOp().equals("Identity")
                && !n.getOp().equals("SaveV2") && !n.getOp().equals("Assign") && n.getInputList().contains(name)),
                "every op reads " + name + "/read, not the variable itself");
    }

    private static float[] frozenProbabilities(GraphDef def, int size) {
        try (Graph g = new Graph()) {
            g.importGraphDef(def);
            try (Session s = new Session(g); TUint8 in = Images.deterministic(size);
                 Result r = s.runner().feed(Model.INPUT, in).fetch(Model.OUTPUT).run()) {
                return floats(r.get(0));
            }
        }
    }

    private static float[] floats(Tensor t) {
        TFloat32 f = (TFloat32) t;
        float[] a = new float[(int) f.size()];
        f.asRawTensor().data().asFloats().read(a);
        return a;
    }
}
