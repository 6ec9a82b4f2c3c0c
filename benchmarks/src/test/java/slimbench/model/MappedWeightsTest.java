package slimbench.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.types.TFloat32;
import slimbench.engine.LoadOptions;
import slimbench.bench.AccuracyGuard;
import slimbench.engine.LoadedModel;
import slimbench.bench.ThisCpu;

/**
 * An ahead graph with mapped filters computes what the same graph with {@code Const} filters
 * computes, slices included; its files are verified and a damaged one is noticed.
 */
class MappedWeightsTest {
    @TempDir
    Path dir;

    static Stream<Arguments> modelsAndPrecisions() {
        List<Arguments> a = new ArrayList<>();
        for (Model m : List.of(Model.MOBILENET_V2, Model.VGG_16, Model.RESNET_V2_50, Model.INCEPTION_RESNET_V2)) {
            for (Precision p : Precision.values()) {
                a.add(Arguments.of(m, p));
            }
        }
        return a.stream();
    }

    @ParameterizedTest
    @MethodSource("modelsAndPrecisions")
    void mappedGraphGivesTheConstGraphsAnswersOnThisCpu(Model model, Precision p) throws Exception {
        ThisCpu.assumeRuns(p);
        GraphDef graph = model.build(Scale.TINY, p, Optimize.AHEAD, Weights.seeded(1)).graph();
        Path frozen = dir.resolve(p.label() + "-const.pb");
        ModelFiles.writeFrozen(graph, frozen);
        // Slices of at most 4 KiB cut every large filter of the tiny model: the slicing path runs too.
        Path mapped = dir.resolve(p.label() + "-mapped.pb");
        ModelFiles.writeMapped(graph, mapped, 4 << 10);
        GraphDef written = GraphDef.parseFrom(Files.readAllBytes(mapped));
        for (NodeDef n : written.getNodeList()) {
            if (MappedWeights.CONVOLUTIONS.contains(n.getOp())) {
                assertEquals(MappedWeights.OP, op(written, n.getInput(1)), n.getName() + "'s filter is mapped");
            }
        }
        assertTrue(written.getNodeList().stream().anyMatch(n -> n.getName().contains("/slice_")),
                model + " " + p + ": some filter was cut into slices");
        assertTrue(ModelFiles.verify(mapped));
        // The mapped graph is bound to oneDNN at load and may fuse where the Const graph does not, so
        // the two round differently: what must hold is what the product promises, the accuracy guard.
        float[][] expected = {probabilities(frozen)};
        float[][] actual = {probabilities(mapped)};
        AccuracyGuard.Verdict v = AccuracyGuard.compare(expected, actual, model, p, Optimize.AHEAD,
                ErrorBound.of(model, Scale.TINY).between(p, p));
        assertTrue(v.passed(), () -> model + " " + p + ": top-1 " + v.top1Agree() + "/1, max relative error "
                + v.maxRelativeError() + " > " + v.tolerance());
    }

    @Test
    void writtenBytesAreTheGraphAndItsFilters() throws Exception {
        GraphDef graph = Model.RESNET_V1_50.build(Scale.TINY, Precision.FP32, Optimize.AHEAD, Weights.seeded(1)).graph();
        Path file = dir.resolve("fp32-ahead.pb");
        ModelFiles.Written w = ModelFiles.writeMapped(graph, file);
        long filters;
        try (var s = Files.list(dir.resolve("fp32-ahead.weights"))) {
            filters = s.mapToLong(f -> f.toFile().length()).sum();
        }
        assertEquals(Files.size(file) + filters, w.bytes());
        assertEquals(w.bytes(), ModelFiles.totalBytes(file));
        long conv = graph.getNodeList().stream().filter(n -> MappedWeights.CONVOLUTIONS.contains(n.getOp())).count();
        assertEquals(conv, MappedWeights.mapped(GraphDef.parseFrom(Files.readAllBytes(file))).size());
    }

    @Test
    void aDamagedFilterFailsVerificationAndIsRegenerated() throws Exception {
        ModelFiles.Written w = ensure();
        Path filter = MappedWeights.folderOf(w.path()).resolve("0003.bin");
        byte[] bytes = Files.readAllBytes(filter);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(filter, bytes);
        assertFalse(ModelFiles.verify(w.path()));
        ensure();
        assertTrue(ModelFiles.verify(w.path()));
        assertEquals(w.sha256(), ModelFiles.sha256(w.path()));
    }

    @Test
    void aMissingFolderIsRegeneratedAndAMissingFileIsNamedAtLoad() throws Exception {
        ModelFiles.Written w = ensure();
        Path folder = MappedWeights.folderOf(w.path());
        try (var s = Files.list(folder)) {
            for (Path f : s.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(folder);
        ensure();
        assertTrue(Files.isRegularFile(folder.resolve("0000.bin")));
        Files.delete(folder.resolve("0002.bin"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LoadedModel.load(w.path(), LoadOptions.zoo(Optimize.AHEAD, 1)).close());
        assertTrue(e.getMessage().contains("0002.bin") && e.getMessage().contains("missing"), e.getMessage());
    }

    @Test
    void slicesCutTheLastDimension() {
        // shape [2, 4]: rows (0 1 2 3) (4 5 6 7); two slices of two channels each
        ByteString content = ByteString.copyFrom(new byte[] {0, 1, 2, 3, 4, 5, 6, 7});
        TensorProto t = TensorProto.newBuilder().setDtype(DataType.DT_HALF)
                .setTensorShape(GraphWriter.shapeProto(2, 2)).setTensorContent(content).build();
        TensorProto second = MappedWeights.sliceChannels(t, 1, 2);
        assertEquals(List.of(2L, 1L), second.getTensorShape().getDimList().stream().map(d -> d.getSize()).toList());
        assertArrayEquals(new byte[] {2, 3, 6, 7}, second.getTensorContent().toByteArray());
    }

    private ModelFiles.Written ensure() throws Exception {
        return Generator.ensure(dir, Model.MOBILENET_V1, Precision.FP32, Optimize.AHEAD, Scale.TINY, 1);
    }

    private static String op(GraphDef g, String name) {
        return g.getNodeList().stream().filter(n -> n.getName().equals(name)).findFirst().orElseThrow().getOp();
    }

    private static float[] probabilities(Path file) throws Exception {
        try (LoadedModel m = LoadedModel.load(file, LoadOptions.zoo(Optimize.AHEAD, 1)); TFloat32 out = m.infer()) {
            float[] p = new float[(int) out.size()];
            out.asRawTensor().data().asFloats().read(p);
            return p;
        }
    }
}
