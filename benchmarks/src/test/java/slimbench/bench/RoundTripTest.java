package slimbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import slimbench.engine.LoadOptions;
import slimbench.engine.LoadedModel;
import slimbench.model.Model;
import slimbench.model.ModelFiles;
import slimbench.model.Optimize;
import slimbench.model.Precision;
import slimbench.model.Scale;
import slimbench.model.Weights;

/** Every architecture, scaled down, written to disk, loaded by TensorFlow and run, in every precision and mode. */
class RoundTripTest {
    @TempDir
    static Path dir;

    static Stream<Arguments> cells() {
        List<Arguments> a = new ArrayList<>();
        for (Model m : Model.values()) {
            for (Precision p : Precision.values()) {
                for (Optimize o : Optimize.values()) {
                    a.add(Arguments.of(m, p, o));
                }
            }
        }
        return a.stream();
    }

    @ParameterizedTest
    @MethodSource("cells")
    void loadsRunsAndGivesProbabilitiesOnThisCpu(Model model, Precision precision, Optimize optimize) throws Exception {
        ThisCpu.assumeRuns(precision);
        var built = model.build(Scale.TINY, precision, optimize, Weights.seeded(1));
        Path file = ModelFiles.frozenPath(dir, model, precision, optimize, Scale.TINY, 1);
        ModelFiles.writeFrozen(built.graph(), file);
        assertTrue(ModelFiles.verify(file));
        try (LoadedModel m = LoadedModel.load(file, LoadOptions.zoo(optimize, 1))) {
            int top = m.inferAndCheck();
            assertTrue(top >= 0 && top < model.classes(Scale.TINY));
        }
    }
}
