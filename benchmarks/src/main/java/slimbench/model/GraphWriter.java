package slimbench.model;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorflow.proto.VersionDef;

/**
 * The protobuf end of {@link Net}: adds nodes under unique names and encodes constants. It knows
 * nothing of layers; writing the proto directly (not through a native {@code Graph}) keeps the
 * bytes deterministic and each weight array wrapped, never copied.
 */
final class GraphWriter {
    private final DataType typed;
    private final List<NodeDef.Builder> nodes = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private int unique;

    /** @param typed the {@code T} of the network's compute nodes: its precision's type */
    GraphWriter(DataType typed) {
        this.typed = typed;
    }

    DataType typed() {
        return typed;
    }

    GraphDef graphDef() {
        GraphDef.Builder g = GraphDef.newBuilder();
        nodes.forEach(g::addNode);
        return g.setVersions(VersionDef.newBuilder().setProducer(1882)).build();
    }

    /** A node being added: its final (unique) name and its attributes. */
    final class NodeBuilder {
        final String name;
        final NodeDef.Builder def;

        NodeBuilder(String name, NodeDef.Builder def) {
            this.name = name;
            this.def = def;
        }

        NodeBuilder attr(String key, AttrValue value) {
            def.putAttr(key, value);
            return this;
        }

        NodeBuilder strides(int s) {
            return attr("strides", ints(1, s, s, 1));
        }

        NodeBuilder padding(Net.Pad pad) {
            return attr("padding", AttrValue.newBuilder().setS(ByteString.copyFromUtf8(pad.name())).build());
        }
    }

    /** Adds a node; {@code t} is its {@code T} attribute (null for ops without one). */
    NodeBuilder node(String name, String op, DataType t, String... inputs) {
        NodeDef.Builder def = NodeDef.newBuilder().setName(unique(name)).setOp(op);
        for (String in : inputs) {
            def.addInput(in);
        }
        if (t != null) {
            def.putAttr("T", type(t));
        }
        nodes.add(def);
        return new NodeBuilder(def.getName(), def);
    }

    private String unique(String name) {
        String n = name;
        while (!names.add(n)) {
            n = name + "_" + (++unique);
        }
        return n;
    }

    /** A {@code Const} of the network's type. */
    String constant(String name, int[] shape, float[] values) {
        return constant(name, shape, values, typed);
    }

    /**
     * A {@code Const} of {@code dtype}: the values are encoded into a fresh array, which the proto
     * wraps rather than copies (nothing else holds it).
     */
    String constant(String name, int[] shape, float[] values, DataType dtype) {
        TensorProto t = TensorProto.newBuilder().setDtype(dtype).setTensorShape(shapeProto(shape))
                .setTensorContent(UnsafeByteOperations.unsafeWrap(Precisions.encode(values, dtype))).build();
        return node(name, "Const", null).attr("dtype", type(dtype))
                .attr("value", AttrValue.newBuilder().setTensor(t).build()).name;
    }

    String scalar(String name, float value) {
        return constant(name, new int[0], new float[] {value});
    }

    String floatScalar(String name, float value) {
        return constant(name, new int[0], new float[] {value}, DataType.DT_FLOAT);
    }

    String floatVector(String name, float... values) {
        return constant(name, new int[] {values.length}, values, DataType.DT_FLOAT);
    }

    String intConst(String name, int... values) {
        return intTensor(name, values, values.length == 1 ? new int[0] : new int[] {values.length});
    }

    String intTensor(String name, int[] values, int... shape) {
        TensorProto.Builder t = TensorProto.newBuilder().setDtype(DataType.DT_INT32).setTensorShape(shapeProto(shape));
        for (int v : values) {
            t.addIntVal(v);
        }
        return node(name, "Const", null).attr("dtype", type(DataType.DT_INT32))
                .attr("value", AttrValue.newBuilder().setTensor(t).build()).name;
    }

    static AttrValue type(DataType t) {
        return AttrValue.newBuilder().setType(t).build();
    }

    static AttrValue ints(int... values) {
        AttrValue.ListValue.Builder l = AttrValue.ListValue.newBuilder();
        for (int v : values) {
            l.addI(v);
        }
        return AttrValue.newBuilder().setList(l).build();
    }

    static TensorShapeProto shapeProto(int... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (int d : dims) {
            s.addDim(TensorShapeProto.Dim.newBuilder().setSize(d));
        }
        return s.build();
    }
}
