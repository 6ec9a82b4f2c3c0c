package slimbench.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;
import slimbench.engine.TensorFlowRuntime;
import slimbench.natives.NativeLoad;

/**
 * {@code -V}: SlimBench's version (from the Maven metadata the jar carries), TensorFlow's (the
 * native library's own and TensorFlow Java's) and JMH's: the three that decide what a figure means.
 */
final class VersionInfo implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String tf = NativeLoad.problem().map(p -> "TensorFlow natives not loadable here: " + p)
                .orElseGet(() -> "TensorFlow " + TensorFlowRuntime.tensorflowVersion() + " (TensorFlow Java "
                        + maven("org.tensorflow", "tensorflow-core-api") + ", native " + TensorFlowRuntime.nativePlatform()
                        + ")");
        return new String[] {"SlimBench " + maven("dev.slimbench", "slimbench"), tf,
                "JMH " + org.openjdk.jmh.util.Version.getPlainVersion()};
    }

    /** The version in a Maven artifact's pom.properties on the classpath, or why it is unknown. */
    static String maven(String group, String artifact) {
        try (InputStream in = VersionInfo.class.getResourceAsStream("/META-INF/maven/" + group + "/" + artifact
                + "/pom.properties")) {
            if (in == null) {
                return "(unknown: run from classes, not from the jar)";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "(unknown)");
        } catch (IOException e) {
            return "(unknown: " + e.getMessage() + ")";
        }
    }
}
