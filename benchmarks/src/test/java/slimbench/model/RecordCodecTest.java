package slimbench.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one codec across the process boundary gives back the cell it was given, on every axis. */
class RecordCodecTest {

    @Test
    void everyCellOfEveryAxisComesBackEqual() {
        List<CellSpec> cells = new ArrayList<>();
        for (Engine e : List.of(Engine.TENSORFLOW, Engine.ONNXRUNTIME, Engine.TENSORRT, Engine.of("another"))) {
            for (Mode mode : Mode.values()) {
                for (Variant v : Variant.values()) {
                    for (Optimize o : Optimize.values()) {
                        cells.add(new CellSpec(Model.RESNET_V1_50, null, v, o, Scale.TINY, 4, mode, e));
                        cells.add(new CellSpec(null, Path.of("/tmp/my model.pb"), v, o, Scale.FULL, 0, mode, e));
                    }
                }
            }
        }
        cells.add(new CellSpec(Model.VGG_16, null, Variant.FP32, Optimize.AHEAD, new Scale(107, 0.25, 10), 1,
                Mode.STEADY, Engine.DEFAULT));
        for (CellSpec c : cells) {
            assertEquals(c, RecordCodec.decode(CellSpec.class, RecordCodec.parseArguments(RecordCodec.arguments(c))),
                    c.toString());
        }
    }

    @Test
    void theSpellingIsTheRegistrysAndAnAbsentFileIsEmpty() {
        CellSpec c = new CellSpec(Model.MOBILENET_V1, null, Variant.TFTRT_FP16, Optimize.AT_LOAD, Scale.TINY, 0,
                Mode.COLD, Engine.TENSORFLOW);
        assertEquals(Map.of("model", "mobilenet_v1", "modelFile", "", "variant", "tftrt-fp16", "optimize", "at-load",
                "scale", "tiny", "threads", "0", "mode", "cold", "runtime", "tensorflow"), RecordCodec.encode(c));
    }

    @Test
    void aMissingOrMisspelledComponentIsNamed() {
        Map<String, String> text = new java.util.HashMap<>(RecordCodec.encode(new CellSpec(Model.MOBILENET_V1, null,
                Variant.FP32, Optimize.AT_LOAD, Scale.FULL, 0, Mode.STEADY, Engine.DEFAULT)));
        text.put("runtime", "ONNX please");
        var e = assertThrows(IllegalArgumentException.class, () -> RecordCodec.decode(CellSpec.class, text));
        assertTrue(e.getMessage().contains("not 'ONNX please'"), e.getMessage());
        text.remove("runtime");
        e = assertThrows(IllegalArgumentException.class, () -> RecordCodec.decode(CellSpec.class, text));
        assertEquals("no runtime for CellSpec", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RecordCodec.parseArguments(List.of("threads")));
    }

    @Test
    void aCellRunsTheZooOrAFileNeverBothNorNeither() {
        assertThrows(IllegalArgumentException.class, () -> new CellSpec(null, null, Variant.FP32, Optimize.AT_LOAD,
                Scale.FULL, 0, Mode.COLD, Engine.DEFAULT));
        assertThrows(IllegalArgumentException.class, () -> new CellSpec(Model.VGG_16, Path.of("a.pb"), Variant.FP32,
                Optimize.AT_LOAD, Scale.FULL, 0, Mode.COLD, Engine.DEFAULT));
    }
}
