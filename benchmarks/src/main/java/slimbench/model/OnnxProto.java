package slimbench.model;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The few messages of ONNX's model format that a classifier needs, encoded by field number with
 * protobuf-java's {@link CodedOutputStream}: {@code ModelProto}, {@code OperatorSetIdProto},
 * {@code GraphProto}, {@code NodeProto}, {@code AttributeProto}, {@code TensorProto},
 * {@code ValueInfoProto} and the {@code TypeProto}/{@code TensorShapeProto} of an input or output,
 * as the public specification {@code onnx/onnx.proto} (github.com/onnx/onnx, IR version 8) numbers
 * their fields. Writing them by hand needs no ONNX library or generated code, which Maven Central
 * does not carry for Java.
 *
 * <p>A message is kept as a list of encoded parts, so a weight's bytes are wrapped, never copied,
 * until the file is written.
 */
final class OnnxProto {
    /** {@code TensorProto.DataType}. */
    static final int FLOAT = 1;
    static final int UINT8 = 2;
    static final int INT64 = 7;
    static final int FLOAT16 = 10;

    /** The IR version of opset 17 (ONNX 1.12), which ONNX Runtime 1.22 reads. */
    static final long IR_VERSION = 8;

    /** {@code AttributeProto.AttributeType}. */
    private static final int ATTR_FLOAT = 1;
    private static final int ATTR_INT = 2;
    private static final int ATTR_STRING = 3;
    private static final int ATTR_INTS = 7;

    private OnnxProto() {}

    /** A message being encoded: its fields in order, each already in wire format. */
    static final class Message {
        private final List<ByteString> parts = new ArrayList<>();
        private long size;

        private Message add(ByteString part) {
            parts.add(part);
            size += part.size();
            return this;
        }

        Message string(int field, String value) {
            return bytes(field, ByteString.copyFromUtf8(value));
        }

        Message int64(int field, long value) {
            return add(encode(CodedOutputStream.computeInt64Size(field, value), c -> c.writeInt64(field, value)));
        }

        Message float32(int field, float value) {
            return add(encode(CodedOutputStream.computeFloatSize(field, value), c -> c.writeFloat(field, value)));
        }

        /** A length-delimited field whose bytes are kept as they are (a weight is not copied). */
        Message bytes(int field, ByteString value) {
            add(header(field, value.size()));
            return add(value);
        }

        Message message(int field, Message m) {
            if (m.size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("an ONNX message over 2 GiB cannot be encoded in one file");
            }
            add(header(field, (int) m.size));
            m.parts.forEach(this::add);
            return this;
        }

        long size() {
            return size;
        }

        void writeTo(OutputStream out) throws IOException {
            for (ByteString p : parts) {
                p.writeTo(out);
            }
        }
    }

    /**
     * The smallest model an engine can run: one {@code Identity} of a float {@code [1]}, the ONNX
     * counterpart of the empty graph TensorFlow runs before a cold shot (the engine's own session
     * machinery warmed, no model's).
     */
    static byte[] identityModel() {
        Message graph = graph("identity", List.of(node("Identity", "identity", List.of("x"), "y", List.of())),
                List.of(), List.of(valueInfo("x", FLOAT, 1)), List.of(valueInfo("y", FLOAT, 1)));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try {
            model(graph, 13, "slimbench").writeTo(out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    // ---------------------------------------------------------------- the messages

    /** {@code ModelProto}: IR version, one opset of the default domain, producer and graph. */
    static Message model(Message graph, long opset, String producer) {
        Message opsetId = new Message().string(1, "").int64(2, opset);
        return new Message().int64(1, IR_VERSION).string(2, producer).message(7, graph).message(8, opsetId);
    }

    /** {@code GraphProto}: nodes (1), name (2), initializers (5), inputs (11), outputs (12). */
    static Message graph(String name, List<Message> nodes, List<Message> initializers, List<Message> inputs,
                         List<Message> outputs) {
        Message g = new Message();
        nodes.forEach(n -> g.message(1, n));
        g.string(2, name);
        initializers.forEach(t -> g.message(5, t));
        inputs.forEach(v -> g.message(11, v));
        outputs.forEach(v -> g.message(12, v));
        return g;
    }

    /** {@code NodeProto}: inputs (1), outputs (2), name (3), op type (4), attributes (5). */
    static Message node(String opType, String name, List<String> inputs, String output, List<Message> attributes) {
        Message n = new Message();
        inputs.forEach(i -> n.string(1, i));
        n.string(2, output).string(3, name).string(4, opType);
        attributes.forEach(a -> n.message(5, a));
        return n;
    }

    /** {@code TensorProto} of raw little-endian data: dims (1), data type (2), name (8), raw data (9). */
    static Message tensor(String name, int dataType, long[] dims, ByteString raw) {
        Message t = new Message();
        for (long d : dims) {
            t.int64(1, d);
        }
        return t.int64(2, dataType).string(8, name).bytes(9, raw);
    }

    /** {@code ValueInfoProto} of a tensor with a fixed shape: name (1), type (2). */
    static Message valueInfo(String name, int elemType, long... dims) {
        Message shape = new Message();
        for (long d : dims) {
            shape.message(1, new Message().int64(1, d)); // Dimension.dim_value
        }
        Message tensorType = new Message().int64(1, elemType).message(2, shape);
        return new Message().string(1, name).message(2, new Message().message(1, tensorType));
    }

    // ---------------------------------------------------------------- attributes: name (1), type (20)

    static Message intAttr(String name, long value) {
        return new Message().string(1, name).int64(20, ATTR_INT).int64(3, value);
    }

    static Message floatAttr(String name, float value) {
        return new Message().string(1, name).int64(20, ATTR_FLOAT).float32(2, value);
    }

    static Message stringAttr(String name, String value) {
        return new Message().string(1, name).int64(20, ATTR_STRING).string(4, value);
    }

    static Message intsAttr(String name, long... values) {
        // proto2's repeated int64 is unpacked on the wire; readers accept both, and ONNX's own writer packs nothing.
        Message a = new Message().string(1, name).int64(20, ATTR_INTS);
        for (long v : values) {
            a.int64(8, v);
        }
        return a;
    }

    // ---------------------------------------------------------------- wire format

    private interface Body {
        void writeTo(CodedOutputStream c) throws IOException;
    }

    private static ByteString header(int field, int length) {
        int n = CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag(length);
        return encode(n, c -> {
            c.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            c.writeUInt32NoTag(length);
        });
    }

    private static ByteString encode(int size, Body body) {
        byte[] b = new byte[size];
        CodedOutputStream c = CodedOutputStream.newInstance(b);
        try {
            body.writeTo(c);
            c.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new IllegalStateException("encoding into an array of its exact size failed", e);
        }
        return UnsafeByteOperations.unsafeWrap(b);
    }
}
