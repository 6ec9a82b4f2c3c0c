package slimbench.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Checkpoints written with TensorFlow's own {@code SaveV2} under slim's names, restored by name:
 * the values come back, the model made from them is the seeded one to the byte, and every way a
 * checkpoint can fail to fit is reported in one clear message.
 */
class CheckpointTest {
    private static final Model MODEL = Model.MOBILENET_V1;
    private static final long SEED = 7;

    @TempDir
    Path dir;

    @Test
    void restoresWhatWasSavedAndRebuildsTheSameGraph() throws Exception {
        List<Variable> vars = MODEL.describe(Scale.TINY).variables();
        Path ckpt = save(dir.resolve("ckpt"), vars, v -> v.shape());
        Map<String, float[]> restored = Checkpoint.restore(ckpt, vars);
        assertEquals(vars.size(), restored.size());
        Weights seeded = Weights.seeded(SEED);
        for (Variable v : vars) {
            assertArrayEquals(seeded.values(v), restored.get(v.name()), v.name());
        }
        ModelFiles.Written fromCheckpoint = Generator.generate(MODEL, Precision.FP32, Optimize.AT_LOAD, Scale.TINY,
                Weights.of(restored), dir.resolve("a.pb"));
        ModelFiles.Written fromSeed = Generator.generate(MODEL, Precision.FP32, Optimize.AT_LOAD, Scale.TINY,
                seeded, dir.resolve("b.pb"));
        assertEquals(fromSeed.sha256(), fromCheckpoint.sha256());
        assertEquals(fromSeed.bytes(), fromCheckpoint.bytes());

        // The prefix itself, and its .index file, name the same checkpoint.
        assertEquals(vars.size(), Checkpoint.restore(ckpt.resolve("model.ckpt"), vars).size());
        assertEquals(vars.size(), Checkpoint.restore(ckpt.resolve("model.ckpt.index"), vars).size());
    }

    @Test
    void mismatchingCheckpointListsTheMissingAndTheMisshapen() throws Exception {
        List<Variable> vars = MODEL.describe(Scale.TINY).variables();
        Path ckpt = mismatching(dir.resolve("ckpt"), vars);
        var e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.restore(ckpt, vars));
        System.out.println("mismatch: " + e.getMessage());
        assertMismatch(e.getMessage(), vars);
    }

    @Test
    void mismatchingTarballListsTheMissingAndTheMisshapen() throws Exception {
        List<Variable> vars = MODEL.describe(Scale.TINY).variables();
        Path ckpt = mismatching(dir.resolve("ckpt"), vars);
        Path tgz = tarball(ckpt, dir.resolve("mobilenet_v1_2018_08_02.tar.gz"));
        var e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.restore(tgz, vars));
        assertMismatch(e.getMessage(), vars);

        // A well-formed tarball restores like the directory.
        Path good = save(dir.resolve("good"), vars, v -> v.shape());
        assertEquals(vars.size(), Checkpoint.restore(tarball(good, dir.resolve("good.tgz")), vars).size());
    }

    @Test
    void anotherModelsTarballListsTheMissingVariables() throws Exception {
        List<Variable> vgg = Model.VGG_16.describe(Scale.TINY).variables();
        Path tgz = tarball(save(dir.resolve("vgg"), vgg, v -> v.shape()), dir.resolve("vgg_16_2016_08_28.tar.gz"));
        List<Variable> vars = MODEL.describe(Scale.TINY).variables();
        var e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.restore(tgz, vars));
        System.out.println("wrong model: " + e.getMessage());
        String m = e.getMessage();
        assertTrue(m.contains("missing (" + vars.size() + ")"), m);
        assertTrue(m.contains(vars.get(0).name()), m);
        assertTrue(m.contains("none of the model's"), m);
        assertTrue(m.contains("and " + (vars.size() - 40) + " more"), m);
    }

    @Test
    void restoresAV1Checkpoint() throws Exception {
        // The 2016 tarballs hold V1 files (one model.ckpt); RestoreV2 falls back to the V1 reader.
        List<Variable> vars = MODEL.describe(Scale.TINY).variables();
        Path v1 = dir.resolve("v1");
        Files.createDirectories(v1);
        saveV1(v1.resolve("model.ckpt"), vars.subList(1, vars.size()));
        var e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.restore(v1, vars));
        System.out.println("v1 missing: " + e.getMessage());
        assertTrue(e.getMessage().contains("missing (1): " + vars.get(0).name()), e.getMessage());

        saveV1(v1.resolve("model.ckpt"), vars);
        Path tgz = tarball(v1, dir.resolve("inception_v1_2016_08_28.tar.gz"));
        Map<String, float[]> restored = Checkpoint.restore(tgz, vars);
        Weights seeded = Weights.seeded(SEED);
        for (Variable v : vars) {
            assertArrayEquals(seeded.values(v), restored.get(v.name()), v.name());
        }
    }

    @Test
    void foreignFileFailsClearly() throws Exception {
        List<Variable> vars = MODEL.describe(Scale.TINY).variables();
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "this is not a checkpoint\n".repeat(100), StandardCharsets.UTF_8);
        var e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.restore(text, vars));
        System.out.println("foreign file: " + e.getMessage());
        assertTrue(e.getMessage().contains("not a readable TensorFlow checkpoint"), e.getMessage());

        Path fakeIndex = dir.resolve("fake");
        Files.createDirectories(fakeIndex);
        Files.writeString(fakeIndex.resolve("model.ckpt.index"), "garbage".repeat(50), StandardCharsets.UTF_8);
        e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.restore(fakeIndex, vars));
        System.out.println("garbage index: " + e.getMessage());
        assertTrue(e.getMessage().contains("not a readable TensorFlow checkpoint"), e.getMessage());

        Path notGzip = dir.resolve("model.tar.gz");
        Files.writeString(notGzip, "<html>404 Not Found</html>", StandardCharsets.UTF_8);
        e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.restore(notGzip, vars));
        System.out.println("not gzip: " + e.getMessage());
        assertTrue(e.getMessage().contains("not a readable .tar.gz"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.restore(dir.resolve("nowhere"), vars));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void truncatedCheckpointFailsClearly() throws Exception {
        List<Variable> vars = MODEL.describe(Scale.TINY).variables();
        Path data = dir.resolve("data");
        save(data, vars, v -> v.shape());
        Path dataFile = data.resolve("model.ckpt.data-00000-of-00001");
        truncate(dataFile);
        var e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.restore(data, vars));
        System.out.println("truncated data: " + e.getMessage());
        assertTrue(e.getMessage().contains("not a readable TensorFlow checkpoint"), e.getMessage());

        Path index = dir.resolve("index");
        save(index, vars, v -> v.shape());
        truncate(index.resolve("model.ckpt.index"));
        e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.restore(index, vars));
        System.out.println("truncated index: " + e.getMessage());
        assertTrue(e.getMessage().contains("not a readable TensorFlow checkpoint"), e.getMessage());

        Path noData = dir.resolve("nodata");
        save(noData, vars, v -> v.shape());
        Files.delete(noData.resolve("model.ckpt.data-00000-of-00001"));
        e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.restore(noData, vars));
        System.out.println("missing data file: " + e.getMessage());
        assertTrue(e.getMessage().contains("not a readable TensorFlow checkpoint"), e.getMessage());

        Path tgz = tarball(save(dir.resolve("t"), vars, v -> v.shape()), dir.resolve("t.tar.gz"));
        truncate(tgz);
        e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.restore(tgz, vars));
        System.out.println("truncated tarball: " + e.getMessage());
        assertTrue(e.getMessage().contains(tgz.toString()) && e.getMessage().contains("ends early"), e.getMessage());
    }

    // ---------------------------------------------------------------- helpers

    private static void assertMismatch(String m, List<Variable> vars) {
        assertTrue(m.contains("missing (1): " + vars.get(3).name()), m);
        assertTrue(m.contains("wrong shape (1): " + vars.get(5).name()), m);
        assertTrue(m.contains("expected " + vars.get(5).shapeString()), m);
    }

    /** The checkpoint with variable 3 dropped and variable 5 saved one element longer. */
    private static Path mismatching(Path into, List<Variable> vars) throws IOException {
        List<Variable> kept = vars.stream().filter(v -> v != vars.get(3)).toList();
        return save(into, kept, v -> v == vars.get(5) ? new int[] {(int) v.size() + 1} : v.shape());
    }

    /** Saves the seeded values of {@code vars}, with {@code shapeOf} choosing each saved shape. */
    private static Path save(Path into, List<Variable> vars, java.util.function.Function<Variable, int[]> shapeOf)
            throws IOException {
        Files.createDirectories(into);
        Weights seeded = Weights.seeded(SEED);
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, int[]> shapes = new LinkedHashMap<>();
        for (Variable v : vars) {
            int[] shape = shapeOf.apply(v);
            float[] a = seeded.values(v);
            values.put(v.name(), Arrays.copyOf(a, (int) Arrays.stream(shape).asLongStream().reduce(1, (x, y) -> x * y)));
            shapes.put(v.name(), shape);
        }
        Checkpoint.save(into.resolve("model.ckpt"), values, shapes);
        return into;
    }

    /** A {@code .tar.gz} of a checkpoint directory, under one top folder as slim's tarballs have it. */
    private static Path tarball(Path ckptDir, Path tgz) throws IOException {
        try (OutputStream out = Files.newOutputStream(tgz);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out));
             Stream<Path> files = Files.list(ckptDir)) {
            for (Path f : files.sorted().toList()) {
                TarArchiveEntry e = new TarArchiveEntry(f.toFile(), "checkpoint/" + f.getFileName());
                tar.putArchiveEntry(e);
                Files.copy(f, tar);
                tar.closeArchiveEntry();
            }
        }
        return tgz;
    }

    /** A V1 checkpoint (one file) written with TensorFlow's legacy {@code Save} op. */
    private static void saveV1(Path file, List<Variable> vars) {
        GraphDef.Builder g = GraphDef.newBuilder();
        g.addNode(strings("filename", List.of(file.toString()), false));
        g.addNode(strings("tensor_names", vars.stream().map(Variable::name).toList(), true));
        NodeDef.Builder save = NodeDef.newBuilder().setName("save").setOp("Save")
                .addInput("filename").addInput("tensor_names");
        AttrValue.ListValue.Builder types = AttrValue.ListValue.newBuilder();
        Weights seeded = Weights.seeded(SEED);
        for (int i = 0; i < vars.size(); i++) {
            Variable v = vars.get(i);
            TensorProto t = TensorProto.newBuilder().setDtype(DataType.DT_FLOAT).setTensorShape(GraphWriter.shapeProto(v.shape()))
                    .setTensorContent(ByteString.copyFrom(Precisions.encode(seeded.values(v), DataType.DT_FLOAT))).build();
            g.addNode(NodeDef.newBuilder().setName("w" + i).setOp("Const")
                    .putAttr("dtype", AttrValue.newBuilder().setType(DataType.DT_FLOAT).build())
                    .putAttr("value", AttrValue.newBuilder().setTensor(t).build()));
            save.addInput("w" + i);
            types.addType(DataType.DT_FLOAT);
        }
        g.addNode(save.putAttr("T", AttrValue.newBuilder().setList(types).build()));
        try (Graph graph = new Graph(); Session s = new Session(graph)) {
            graph.importGraphDef(g.build());
            s.runner().addTarget("save").run();
        }
    }

    private static NodeDef strings(String name, List<String> values, boolean vector) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        if (vector) {
            shape.addDim(TensorShapeProto.Dim.newBuilder().setSize(values.size()));
        }
        TensorProto.Builder t = TensorProto.newBuilder().setDtype(DataType.DT_STRING).setTensorShape(shape);
        values.forEach(v -> t.addStringVal(ByteString.copyFromUtf8(v)));
        return NodeDef.newBuilder().setName(name).setOp("Const")
                .putAttr("dtype", AttrValue.newBuilder().setType(DataType.DT_STRING).build())
                .putAttr("value", AttrValue.newBuilder().setTensor(t).build()).build();
    }

    private static void truncate(Path f) throws IOException {
        byte[] b = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(b, b.length / 2));
    }
}
