package slimbench.model;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The nodes of an ONNX model that run an operator from outside ONNX's own domains, which ONNX
 * Runtime would take from a contrib or custom-op library: every node of the graph, of the graphs
 * inside its nodes' attributes ({@code If}, {@code Loop}, {@code Scan}) and of the model's local
 * functions, read field by field from {@code onnx/onnx.proto}'s numbering (as {@link OnnxProto}
 * writes it; Maven Central carries no ONNX classes for Java). A node that calls one of the model's
 * own functions (by their domain and name) is no custom operator: the function's nodes are checked.
 */
final class OnnxNodes {
    // ModelProto
    private static final int MODEL_GRAPH = 7;
    private static final int MODEL_FUNCTIONS = 25;
    // GraphProto
    private static final int GRAPH_NODE = 1;
    // NodeProto
    private static final int NODE_NAME = 3;
    private static final int NODE_OP_TYPE = 4;
    private static final int NODE_ATTRIBUTE = 5;
    private static final int NODE_DOMAIN = 7;
    // AttributeProto
    private static final int ATTRIBUTE_GRAPH = 6;
    private static final int ATTRIBUTE_GRAPHS = 11;
    // FunctionProto
    private static final int FUNCTION_NAME = 1;
    private static final int FUNCTION_NODE = 7;
    private static final int FUNCTION_DOMAIN = 10;
    /** Graphs nest in attributes; protobuf's own parsers stop at this depth too. */
    private static final int MAX_DEPTH = 100;

    private record Node(String name, String opType, String domain, String function) {}

    private OnnxNodes() {}

    /** The nodes of a custom domain, each as an op named {@code domain:op_type}. */
    static List<OpScreen.Found> custom(CodedInputStream in) throws IOException {
        List<Node> nodes = new ArrayList<>();
        Set<String> functions = new HashSet<>();
        while (true) {
            int tag = in.readTag();
            if (tag == 0) {
                break;
            }
            if (delimited(tag, MODEL_GRAPH)) {
                message(in, () -> graph(in, null, nodes, 1));
            } else if (delimited(tag, MODEL_FUNCTIONS)) {
                message(in, () -> functions.add(function(in, nodes)));
            } else {
                in.skipField(tag);
            }
        }
        List<OpScreen.Found> out = new ArrayList<>();
        for (Node n : nodes) {
            if (!OpScreen.ONNX_DOMAINS.contains(n.domain()) && !functions.contains(n.domain() + ":" + n.opType())) {
                out.add(new OpScreen.Found(n.domain() + ":" + n.opType(), n.name(), n.function(),
                        "is an operator of the custom domain " + n.domain() + ", code from outside ONNX's standard"));
            }
        }
        return out;
    }

    private interface Body {
        void read() throws IOException;
    }

    private static void message(CodedInputStream in, Body body) throws IOException {
        int limit = in.pushLimit(in.readRawVarint32());
        body.read();
        in.checkLastTagWas(0);
        in.popLimit(limit);
    }

    private static boolean delimited(int tag, int field) {
        return WireFormat.getTagFieldNumber(tag) == field
                && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
    }

    private static void graph(CodedInputStream in, String function, List<Node> nodes, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new InvalidProtocolBufferException("graphs nested deeper than " + MAX_DEPTH);
        }
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (delimited(tag, GRAPH_NODE)) {
                message(in, () -> node(in, function, nodes, depth));
            } else {
                in.skipField(tag);
            }
        }
    }

    private static void node(CodedInputStream in, String function, List<Node> nodes, int depth) throws IOException {
        String name = "";
        String opType = "";
        String domain = "";
        int at = nodes.size();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (delimited(tag, NODE_NAME)) {
                name = in.readBytes().toStringUtf8();
            } else if (delimited(tag, NODE_OP_TYPE)) {
                opType = in.readBytes().toStringUtf8();
            } else if (delimited(tag, NODE_DOMAIN)) {
                domain = in.readBytes().toStringUtf8();
            } else if (delimited(tag, NODE_ATTRIBUTE)) {
                message(in, () -> attribute(in, function, nodes, depth));
            } else {
                in.skipField(tag);
            }
        }
        nodes.add(at, new Node(name, opType, domain, function)); // before the nodes of its subgraphs
    }

    private static void attribute(CodedInputStream in, String function, List<Node> nodes, int depth) throws IOException {
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (delimited(tag, ATTRIBUTE_GRAPH) || delimited(tag, ATTRIBUTE_GRAPHS)) {
                message(in, () -> graph(in, function, nodes, depth + 1));
            } else {
                in.skipField(tag);
            }
        }
    }

    /** Reads a local function's nodes into {@code nodes}; returns its {@code domain:name}. */
    private static String function(CodedInputStream in, List<Node> nodes) throws IOException {
        String name = "";
        String domain = "";
        List<Node> own = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (delimited(tag, FUNCTION_NAME)) {
                name = in.readBytes().toStringUtf8();
            } else if (delimited(tag, FUNCTION_DOMAIN)) {
                domain = in.readBytes().toStringUtf8();
            } else if (delimited(tag, FUNCTION_NODE)) {
                bodies.add(in.readBytes().toByteArray()); // the name may come after the nodes
            } else {
                in.skipField(tag);
            }
        }
        for (byte[] body : bodies) {
            node(CodedInputStream.newInstance(body), name, own, 1);
        }
        nodes.addAll(own);
        return domain + ":" + name;
    }
}
