package slimbench.model;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * An {@code ahead} graph with its convolution filters out of the GraphDef, one file each, read by
 * TensorFlow's {@code ImmutableConst} op, which memory-maps the file (the idea of TensorFlow's own
 * {@code convert_graphdef_memmapped_format}).
 *
 * <p>Why: a filter held in a {@code Const} node is copied at every stage of making a session (the
 * imported graph, the session's GraphDef, its base graph, the pruned client graph, the partition,
 * the kernel's tensor), so a large model peaks at several times its weights before the first
 * inference (docs/performance.md). Mapped, the filter is read from the page cache when the kernel
 * first needs it; the only resident copy is the one oneDNN keeps in its own blocked layout (see
 * {@code engine.OneDnnBinding}).
 *
 * <p>Each {@code ImmutableConst} names its file relative to the graph's folder (the loader
 * resolves it) and carries the file's size and SHA-256 as internal attributes, so a graph
 * verifies the exact weights it was written with.
 */
public final class MappedWeights {
    /** The ops whose input 1 is a filter. */
    public static final Set<String> CONVOLUTIONS =
            Set.of("Conv2D", "DepthwiseConv2dNative", "_FusedConv2D", "_FusedDepthwiseConv2dNative");
    public static final String OP = "ImmutableConst";
    public static final String REGION = "memory_region_name";
    public static final String SHA256 = "_sha256";

    /** A graph whose filters live in files, and those files' contents. */
    public record Split(GraphDef graph, List<Region> regions) {}

    /** One filter's file: its name relative to the graph's folder, and its bytes. */
    public record Region(String name, ByteString bytes) {}

    private MappedWeights() {}

    /** The folder beside {@code graph} ({@code fp32-ahead.pb}) that holds its filters ({@code fp32-ahead.weights}). */
    public static Path folderOf(Path graph) {
        String name = graph.getFileName().toString();
        return graph.resolveSibling((name.endsWith(".pb") ? name.substring(0, name.length() - 3) : name) + ".weights");
    }

    /**
     * Replaces every {@code Const} that is a convolution's filter by an {@code ImmutableConst}
     * reading {@code folder/NNNN.bin}. A filter over {@link #MAX_REGION} bytes (VGG's fc6, 411 MB
     * in float) is cut along its output channels into convolutions whose outputs are concatenated:
     * the same arithmetic, but oneDNN reorders one slice at a time, so the cold start never holds
     * the mapped filter, its reordered copy and the kept copy of the whole layer at once.
     */
    public static Split split(GraphDef graph, String folder) {
        return split(graph, folder, MAX_REGION);
    }

    /** As above, with slices of at most {@code maxRegion} bytes. */
    static Split split(GraphDef graph, String folder, long maxRegion) {
        Map<String, NodeDef> byName = new HashMap<>();
        Set<String> filters = new HashSet<>();
        for (NodeDef n : graph.getNodeList()) {
            byName.put(n.getName(), n);
            if (CONVOLUTIONS.contains(n.getOp())) {
                filters.add(nodeName(n.getInput(1)));
            }
        }
        Set<String> cut = new HashSet<>(); // filters (and biases) replaced by their slices
        for (NodeDef n : graph.getNodeList()) {
            NodeDef filter = CONVOLUTIONS.contains(n.getOp()) ? byName.get(nodeName(n.getInput(1))) : null;
            if (filter != null && filter.getOp().equals("Const") && slices(n, filter, maxRegion) > 1) {
                cut.add(filter.getName());
                if (n.getOp().equals("_FusedConv2D")) {
                    cut.add(nodeName(n.getInput(2)));
                }
            }
        }
        GraphDef.Builder out = graph.toBuilder().clearNode();
        List<Region> regions = new ArrayList<>();
        for (NodeDef n : graph.getNodeList()) {
            NodeDef filter = CONVOLUTIONS.contains(n.getOp()) ? byName.get(nodeName(n.getInput(1))) : null;
            if (cut.contains(n.getName())) {
                continue;
            } else if (filter != null && cut.contains(filter.getName())) {
                splitConvolution(n, filter, byName, slices(n, filter, maxRegion), folder, out, regions);
            } else if (n.getOp().equals("Const") && filters.contains(n.getName())) {
                out.addNode(mapped(n.getName(), n.getAttrOrThrow("value").getTensor(), folder, regions));
            } else {
                out.addNode(n);
            }
        }
        return new Split(out.build(), regions);
    }

    /** Filters above this many bytes are cut into slices of at most this size. */
    public static final long MAX_REGION = 64L << 20;

    /** Into how many slices a convolution's filter is cut: 1, or the fewest that divide its output channels. */
    private static int slices(NodeDef conv, NodeDef filter, long maxRegion) {
        if (!conv.getOp().equals("Conv2D") && !conv.getOp().equals("_FusedConv2D")) {
            return 1;
        }
        long bytes = filter.getAttrOrThrow("value").getTensor().getTensorContent().size();
        int cout = (int) filter.getAttrOrThrow("value").getTensor().getTensorShape().getDim(3).getSize();
        for (int k = (int) Math.max(1, (bytes + maxRegion - 1) / maxRegion); k <= cout; k++) {
            if (cout % k == 0) {
                return k;
            }
        }
        return 1;
    }

    private static void splitConvolution(NodeDef conv, NodeDef filter, Map<String, NodeDef> byName, int k,
                                         String folder, GraphDef.Builder out, List<Region> regions) {
        TensorProto w = filter.getAttrOrThrow("value").getTensor();
        NodeDef bias = conv.getOp().equals("_FusedConv2D") ? byName.get(nodeName(conv.getInput(2))) : null;
        if (bias != null && (!bias.getOp().equals("Const") || conv.getAttrOrThrow("num_args").getI() != 1)) {
            throw new IllegalArgumentException(conv.getName() + ": only a fused conv with a constant bias can be cut");
        }
        NodeDef.Builder concat = NodeDef.newBuilder().setName(conv.getName()).setOp("ConcatV2")
                .putAttr("T", conv.getAttrOrThrow("T"))
                .putAttr("N", AttrValue.newBuilder().setI(k).build())
                .putAttr("Tidx", AttrValue.newBuilder().setType(DataType.DT_INT32).build());
        for (int i = 0; i < k; i++) {
            String part = conv.getName() + "/slice_" + i;
            String w_i = filter.getName() + "/slice_" + i;
            out.addNode(mapped(w_i, sliceChannels(w, i, k), folder, regions));
            NodeDef.Builder c = conv.toBuilder().setName(part).setInput(1, w_i);
            if (bias != null) {
                String b_i = bias.getName() + "/slice_" + i;
                out.addNode(bias.toBuilder().setName(b_i).putAttr("value", AttrValue.newBuilder()
                        .setTensor(sliceChannels(bias.getAttrOrThrow("value").getTensor(), i, k)).build()));
                c.setInput(2, b_i);
            }
            out.addNode(c);
            concat.addInput(part);
        }
        String axis = conv.getName() + "/axis";
        out.addNode(NodeDef.newBuilder().setName(axis).setOp("Const")
                .putAttr("dtype", AttrValue.newBuilder().setType(DataType.DT_INT32).build())
                .putAttr("value", AttrValue.newBuilder().setTensor(TensorProto.newBuilder()
                        .setDtype(DataType.DT_INT32).addIntVal(3)).build()));
        out.addNode(concat.addInput(axis));
    }

    /** Slice {@code i} of {@code k} along the last dimension of a tensor stored in {@code tensor_content}. */
    static TensorProto sliceChannels(TensorProto t, int i, int k) {
        TensorShapeProto shape = t.getTensorShape();
        int rank = shape.getDimCount();
        long last = shape.getDim(rank - 1).getSize();
        long rows = 1;
        for (int d = 0; d < rank - 1; d++) {
            rows *= shape.getDim(d).getSize();
        }
        int size = Precisions.bytesPerElement(t.getDtype());
        int width = (int) (last / k) * size;
        ByteString content = t.getTensorContent();
        byte[] out = new byte[(int) rows * width];
        for (int r = 0; r < rows; r++) {
            content.copyTo(out, (int) (r * last * size + (long) i * width), r * width, width);
        }
        return t.toBuilder().setTensorShape(shape.toBuilder().setDim(rank - 1,
                        TensorShapeProto.Dim.newBuilder().setSize(last / k)))
                .setTensorContent(UnsafeByteOperations.unsafeWrap(out)).build();
    }

    private static NodeDef mapped(String name, TensorProto t, String folder, List<Region> regions) {
        String file = folder + "/" + String.format(Locale.ROOT, "%04d.bin", regions.size());
        regions.add(new Region(file, t.getTensorContent()));
        return NodeDef.newBuilder().setName(name).setOp(OP)
                .putAttr("dtype", AttrValue.newBuilder().setType(t.getDtype()).build())
                .putAttr("shape", AttrValue.newBuilder().setShape(t.getTensorShape()).build())
                .putAttr(REGION, AttrValue.newBuilder().setS(ByteString.copyFromUtf8(file)).build())
                .putAttr(SHA256, AttrValue.newBuilder().setS(ByteString.copyFromUtf8(sha256(t.getTensorContent()))).build())
                .build();
    }

    /** The mapped nodes of a graph. */
    public static List<NodeDef> mapped(GraphDef graph) {
        return graph.getNodeList().stream().filter(n -> n.getOp().equals(OP)).toList();
    }

    public static String region(NodeDef n) {
        return n.getAttrOrThrow(REGION).getS().toStringUtf8();
    }

    public static String sha256(NodeDef n) {
        return n.getAttrOrThrow(SHA256).getS().toStringUtf8();
    }

    /** The bytes an ImmutableConst's file must hold: its shape times its type's size. */
    public static long bytes(NodeDef n) {
        long elements = 1;
        for (var d : n.getAttrOrThrow("shape").getShape().getDimList()) {
            elements *= d.getSize();
        }
        return elements * Precisions.bytesPerElement(n.getAttrOrThrow("dtype").getType());
    }

    /** The node an input names ({@code ^ctrl}, {@code name:1} and {@code name} all name {@code name}). */
    public static String nodeName(String input) {
        String s = input.startsWith("^") ? input.substring(1) : input;
        int colon = s.indexOf(':');
        return colon < 0 ? s : s.substring(0, colon);
    }

    private static String sha256(ByteString bytes) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(bytes.asReadOnlyByteBuffer());
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
