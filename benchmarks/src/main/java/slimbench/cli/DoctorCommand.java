package slimbench.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import slimbench.natives.NativeLoad;
import slimbench.suite.Conditions;

/** {@code doctor}: the run conditions, and what will and will not work here, before a long run. */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Prints the device and runtime conditions a run records, and what works here: "
                + "GPU, TensorRT, bf16/fp16 hardware support, memory.")
final class DoctorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Map<String, String> c = Conditions.device();
        c.forEach((k, v) -> out.printf("%-24s %s%n", k, v));
        out.println();
        Conditions.verdicts(c).forEach(out::println);
        out.flush();
        NativeLoad.require(); // after every condition readable without TensorFlow: one line, exit 2
        return 0;
    }
}
