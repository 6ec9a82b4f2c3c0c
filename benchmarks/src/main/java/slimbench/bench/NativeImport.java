package slimbench.bench;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.bytedeco.javacpp.BytePointer;
import org.tensorflow.Graph;
import org.tensorflow.internal.c_api.TF_Buffer;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_ImportGraphDefOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.internal.c_api.global.tensorflow;

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
        TF_Graph g = tensorflow.TF_NewGraph();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
             TF_Status status = tensorflow.TF_NewStatus();
             TF_ImportGraphDefOptions opts = tensorflow.TF_NewImportGraphDefOptions()) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(file + " is " + size + " bytes: a GraphDef cannot exceed 2 GB");
            }
            // A regular file is mapped; anything else (a pipe, a device) is read, and may block there.
            ByteBuffer mapped = Files.isRegularFile(file)
                    ? ch.map(FileChannel.MapMode.READ_ONLY, 0, size).load() // the read phase: every page in memory
                    : readAll(ch);
            size = mapped.limit();
            onRead.run();
            try (BytePointer data = new BytePointer(mapped)) {
                // A buffer that points at the mapping: no copy, and nothing for TensorFlow to free.
                TF_Buffer buf = tensorflow.TF_NewBuffer();
                buf.data(data).length(size);
                tensorflow.TF_GraphImportGraphDef(g, buf, opts, status);
                buf.data(null).length(0);
                tensorflow.TF_DeleteBuffer(buf);
            } finally {
                unmap(mapped); // now, not whenever the GC gets to it: the file's pages leave this process
            }
            int code = tensorflow.TF_GetCode(status);
            if (code != tensorflow.TF_OK) {
                String message = tensorflow.TF_Message(status).getString();
                throw failure(file, message);
            }
            return WRAP.newInstance(g);
        } catch (ReflectiveOperationException e) {
            tensorflow.TF_DeleteGraph(g);
            throw new IllegalStateException("cannot wrap the imported graph: " + e, e);
        } catch (IOException | RuntimeException | Error e) {
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
                    + Runtime.tensorflowVersion() + ", " + Runtime.nativePlatform() + ") does not register");
        }
        if (message.contains("Invalid GraphDef") || message.contains("parse")) {
            return new IllegalArgumentException(file + " is not a TensorFlow GraphDef (.pb): " + message);
        }
        return new IllegalArgumentException("TensorFlow cannot import " + file + ": " + message);
    }
}
