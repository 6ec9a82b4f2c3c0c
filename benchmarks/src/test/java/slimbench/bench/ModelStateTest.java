package slimbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;
import slimbench.model.CellSpec;
import slimbench.model.Engine;
import slimbench.model.Mode;
import slimbench.model.Model;
import slimbench.model.Optimize;
import slimbench.model.RecordCodec;
import slimbench.model.Scale;
import slimbench.model.Variant;

/** The JMH fork's state receives every axis of the cell: a new component of CellSpec needs its @Param here. */
class ModelStateTest {

    @Test
    void everyComponentOfTheCellIsAParamOfTheSameName() throws NoSuchFieldException {
        for (RecordComponent c : CellSpec.class.getRecordComponents()) {
            assertNotNull(ModelState.class.getField(c.getName()).getAnnotation(Param.class), c.getName());
        }
    }

    @Test
    void theParamsTheCellProcessSetsDecodeToItsCell() throws ReflectiveOperationException {
        CellSpec spec = new CellSpec(null, Path.of("/tmp/own.pb"), Variant.BF16, Optimize.AHEAD, Scale.TINY, 2,
                Mode.COLD, Engine.TENSORFLOW);
        ModelState state = new ModelState();
        for (var e : RecordCodec.encode(spec).entrySet()) {
            var f = ModelState.class.getField(e.getKey());
            f.set(state, f.getType() == int.class ? (Object) Integer.parseInt(e.getValue()) : e.getValue());
        }
        assertEquals(spec, state.spec());
    }

    @Test
    void theDefaultParamsAreACellOfTheZoo() throws ReflectiveOperationException {
        ModelState state = new ModelState();
        for (var f : ModelState.class.getFields()) {
            Param p = f.getAnnotation(Param.class);
            if (p != null) { // what plain JMH (`java -jar benchmarks.jar SteadyState`) runs with
                f.set(state, f.getType() == int.class ? (Object) Integer.parseInt(p.value()[0]) : p.value()[0]);
            }
        }
        assertEquals(new CellSpec(Model.MOBILENET_V1, null, Variant.FP32, Optimize.AT_LOAD, Scale.FULL, 0,
                Mode.STEADY, Engine.TENSORFLOW), state.spec());
    }
}
