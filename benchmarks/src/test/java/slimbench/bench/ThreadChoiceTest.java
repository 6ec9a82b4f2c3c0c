package slimbench.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A steady cell runs on the thread count that measured fastest within its budget. */
class ThreadChoiceTest {
    private static ThreadChoice.Choice choose(int budget, Map<Integer, Double> ms, List<Integer> probed) throws IOException {
        return ThreadChoice.choose(budget, t -> {
            probed.add(t);
            return ms.get(t);
        });
    }

    @Test
    void triesPowersOfTwoBelowTheBudgetThenTheBudget() {
        assertEquals(List.of(1, 2), ThreadChoice.candidates(2));
        assertEquals(List.of(1, 2, 4, 6), ThreadChoice.candidates(6));
        assertEquals(List.of(1, 2, 4, 8), ThreadChoice.candidates(8));
    }

    @Test
    void moreThreadsWhenTheyAreFaster() throws IOException {
        List<Integer> probed = new ArrayList<>();
        ThreadChoice.Choice c = choose(4, Map.of(1, 80.0, 2, 47.0, 4, 30.0), probed);
        assertEquals(List.of(1, 2, 4, 1, 2, 4), probed, "each count twice, in interleaved rounds");
        assertEquals(4, c.threads());
        assertEquals("threads 4 chosen of 1: 80.00 ms, 2: 47.00 ms, 4: 30.00 ms", c.describe());
    }

    @Test
    void fewerThreadsWhenMoreAreSlowerOrNotClearlyFaster() throws IOException {
        assertEquals(1, choose(2, Map.of(1, 11.6, 2, 15.9), new ArrayList<>()).threads(), "mobilenet_v2 on TensorFlow here");
        assertEquals(1, choose(2, Map.of(1, 10.0, 2, 9.6), new ArrayList<>()).threads(), "4% is not worth a core");
        assertEquals(2, choose(4, Map.of(1, 10.0, 2, 6.0, 4, 5.9), new ArrayList<>()).threads(), "nor is 2% over 2");
    }

    /** The probes of one count that caught a slow spell do not decide: each count's fastest median does. */
    @Test
    void eachCountIsJudgedByItsFastestProbe() throws IOException {
        List<Double> medians = new ArrayList<>(List.of(4.48, 4.50, 4.19, 2.40)); // 1, 2, 1, 2
        List<Integer> probed = new ArrayList<>();
        ThreadChoice.Choice c = ThreadChoice.choose(2, t -> {
            probed.add(t);
            return medians.remove(0);
        });
        assertEquals(List.of(1, 2, 1, 2), probed);
        assertEquals(2, c.threads());
        assertEquals("threads 2 chosen of 1: 4.19 ms, 2: 2.40 ms", c.describe());
    }

    @Test
    void theEnginesChoiceAndOneThreadAreRunAsGiven() throws IOException {
        for (int budget : new int[] {0, 1}) {
            List<Integer> probed = new ArrayList<>();
            ThreadChoice.Choice c = choose(budget, Map.of(), probed);
            assertTrue(probed.isEmpty());
            assertEquals(budget, c.threads());
            assertEquals("threads " + budget + " as given", c.describe());
        }
    }

    @Test
    void aProbesAnswerCrossesAsOneRecordWhateverItPrinted(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws IOException {
        java.nio.file.Path f = tmp.resolve("answer");
        slimbench.model.RecordCodec.write(f, new ThreadChoice.Answer(11.25, "", ""));
        assertEquals(new ThreadChoice.Answer(11.25, "", ""),
                slimbench.model.RecordCodec.read(f, ThreadChoice.Answer.class));
        slimbench.model.RecordCodec.write(f, new ThreadChoice.Answer(Double.NaN, "no TensorRT\nhere", ""));
        assertEquals("no TensorRT here", slimbench.model.RecordCodec.read(f, ThreadChoice.Answer.class).unsupported());
        slimbench.model.RecordCodec.write(f, new ThreadChoice.Answer(Double.NaN, "", "java.io.IOException: gone"));
        assertEquals("java.io.IOException: gone", slimbench.model.RecordCodec.read(f, ThreadChoice.Answer.class).error());
        java.nio.file.Files.writeString(f, "medianMs=11.25\nunsupported=\n");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> slimbench.model.RecordCodec.read(f, ThreadChoice.Answer.class));
        assertEquals("no error for Answer", e.getMessage());
    }
}
