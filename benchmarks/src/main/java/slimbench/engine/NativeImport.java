package slimbench.engine;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import com.google.protobuf.ByteString;
import org.bytedeco.javacpp.BytePointer;
import org.tensorflow.Graph;
import org.tensorflow.internal.c_api.TF_Buffer;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_ImportGraphDefOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.global.tensorflow;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import slimbench.model.MappedWeights;

/**
 * Imports a frozen GraphDef straight from the file into TensorFlow: the file is memory-mapped and
 * handed to the C API's {@code TF_GraphImportGraphDef}, so the weights never pass through the Java
 * heap. TensorFlow Java's own {@code Graph.importGraphDef(GraphDef)} needs the file's bytes, the
 * parsed proto and its re-serialisation on the heap at once (three times the model: a VGG16 needs
 * a 2 GB heap, which a 4 GB Jetson cannot spare beside TensorFlow's native memory).
 */
final class NativeImport {
    private static final Constructor<Graph> WRAP;

    static {
        try {
            // Graph(TF_Graph) is package-private: the only way to hand TensorFlow Java a graph we made.
            WRAP = Graph.class.getDeclaredConstructor(TF_Graph.class);
            WRAP.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private NativeImport() {}

    /**
     * @param onRead called once the whole file is in memory (the end of the read phase)
     * @throws IllegalArgumentException when the file is not a GraphDef
     * @throws UnsupportedOperationException when it needs an op this runtime does not register
     */
    static Graph importGraphDef(Path file, Runnable onRead) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(file + " is " + size + " bytes: a GraphDef cannot exceed 2 GB");
            }
            // A regular file is mapped; anything else (a pipe, a device) is read, and may block there.
            ByteBuffer mapped = Files.isRegularFile(file)
                    ? ch.map(FileChannel.MapMode.READ_ONLY, 0, size).load() // the read phase: every page in memory
                    : readAll(ch);
            onRead.run();
            try {
                return importBuffer(mapped, file);
            } finally {
                unmap(mapped); // now, not whenever the GC gets to it: the file's pages leave this process
            }
        }
    }

    /**
     * Imports a mapped graph ({@link MappedWeights}): the small GraphDef is read, each filter's file
     * resolved beside it and checked for presence and size, and the convolutions bound to oneDNN
     * ({@link OneDnnBinding}). The filters themselves are not read here: TensorFlow maps them when
     * a kernel first needs them.
     */
    static Graph importMapped(Path file, Runnable onRead) throws IOException {
        GraphDef graph;
        try (var in = Files.newInputStream(file)) {
            graph = GraphDef.parseFrom(in);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalArgumentException(file + " is not a TensorFlow GraphDef (.pb): " + e.getMessage(), e);
        }
        onRead.run();
        Path dir = file.toAbsolutePath().getParent();
        GraphDef.Builder resolved = graph.toBuilder();
        for (NodeDef.Builder n : resolved.getNodeBuilderList()) {
            if (!n.getOp().equals(MappedWeights.OP)) {
                continue;
            }
            NodeDef node = n.build();
            Path weights = dir.resolve(MappedWeights.region(node));
            if (!Files.isRegularFile(weights)) {
                throw new IllegalArgumentException(file + " needs weights file " + weights + " for "
                        + node.getName() + ", which is missing: generate the model again");
            }
            if (Files.size(weights) != MappedWeights.bytes(node)) {
                throw new IllegalArgumentException("weights file " + weights + " holds " + Files.size(weights)
                        + " bytes; " + node.getName() + " needs " + MappedWeights.bytes(node)
                        + ": generate the model again");
            }
            n.putAttr(MappedWeights.REGION, AttrValue.newBuilder()
                    .setS(ByteString.copyFromUtf8(weights.toString())).build());
        }
        byte[] bytes = OneDnnBinding.bind(resolved.build()).graph().toByteArray();
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length);
        direct.put(bytes).flip();
        return importBuffer(direct, file);
    }

    private static Graph importBuffer(ByteBuffer data, Path file) {
        TF_Graph g = tensorflow.TF_NewGraph();
        try (TF_Status status = tensorflow.TF_NewStatus();
             TF_ImportGraphDefOptions opts = tensorflow.TF_NewImportGraphDefOptions();
             BytePointer pointer = new BytePointer(data)) {
            // A buffer that points at the caller's memory: no copy, and nothing for TensorFlow to free.
            TF_Buffer buf = tensorflow.TF_NewBuffer();
            buf.data(pointer).length(data.limit());
            tensorflow.TF_GraphImportGraphDef(g, buf, opts, status);
            buf.data(null).length(0);
            tensorflow.TF_DeleteBuffer(buf);
            if (tensorflow.TF_GetCode(status) != tensorflow.TF_OK) {
                throw failure(file, tensorflow.TF_Message(status).getString());
            }
            return WRAP.newInstance(g);
        } catch (ReflectiveOperationException e) {
            tensorflow.TF_DeleteGraph(g);
            throw new IllegalStateException("cannot wrap the imported graph: " + e, e);
        } catch (RuntimeException | Error e) {
            tensorflow.TF_DeleteGraph(g);
            throw e;
        }
    }

    private static ByteBuffer readAll(FileChannel ch) throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        while (ch.read(buf) >= 0) {
            if (!buf.hasRemaining()) {
                ByteBuffer bigger = ByteBuffer.allocateDirect(buf.capacity() * 2);
                buf.flip();
                bigger.put(buf);
                buf = bigger;
            }
        }
        buf.flip();
        return buf;
    }

    /** Releases a mapping at once (Java 17 has no public unmap; the JDK's own cleaner does it). */
    private static void unmap(ByteBuffer mapped) {
        if (!(mapped instanceof MappedByteBuffer)) {
            return;
        }
        try {
            java.lang.reflect.Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            ((sun.misc.Unsafe) f.get(null)).invokeCleaner(mapped);
        } catch (ReflectiveOperationException e) {
            // left to the garbage collector: correct, only later
        }
    }

    private static RuntimeException failure(Path file, String message) {
        if (message.contains("Op type not registered")) {
            String op = message.replaceAll("(?s).*Op type not registered '([^']+)'.*", "$1");
            return new UnsupportedOperationException("the graph needs op " + op + ", which this TensorFlow runtime ("
                    + TensorFlowRuntime.tensorflowVersion() + ", " + TensorFlowRuntime.nativePlatform() + ") does not register");
        }
        if (message.contains("Invalid GraphDef") || message.contains("parse")) {
            return new IllegalArgumentException(file + " is not a TensorFlow GraphDef (.pb): " + message);
        }
        return new IllegalArgumentException("TensorFlow cannot import " + file + ": " + message);
    }
}
