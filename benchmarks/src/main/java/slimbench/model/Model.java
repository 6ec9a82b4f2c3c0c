package slimbench.model;

import java.util.List;
import org.tensorflow.proto.GraphDef;

/**
 * The fifteen TF-slim ImageNet classifiers: the one registry of names that benchmark parameters,
 * the command line and reports all spell the same way.
 */
public enum Model implements Labelled {
    MOBILENET_V1("mobilenet_v1", 224, 1001, Preprocessing.INCEPTION, MobileNetV1::build),
    MOBILENET_V2("mobilenet_v2", 224, 1001, Preprocessing.INCEPTION, MobileNetV2::build),
    VGG_16("vgg_16", 224, 1000, Preprocessing.VGG, Vgg::vgg16),
    VGG_19("vgg_19", 224, 1000, Preprocessing.VGG, Vgg::vgg19),
    INCEPTION_V1("inception_v1", 224, 1001, Preprocessing.INCEPTION, InceptionV1::build),
    INCEPTION_V2("inception_v2", 224, 1001, Preprocessing.INCEPTION, InceptionV2::build),
    INCEPTION_V3("inception_v3", 299, 1001, Preprocessing.INCEPTION, InceptionV3::build),
    INCEPTION_V4("inception_v4", 299, 1001, Preprocessing.INCEPTION, InceptionV4::build),
    RESNET_V1_50("resnet_v1_50", 224, 1000, Preprocessing.VGG, ResNetV1::resnet50),
    RESNET_V1_101("resnet_v1_101", 224, 1000, Preprocessing.VGG, ResNetV1::resnet101),
    RESNET_V1_152("resnet_v1_152", 224, 1000, Preprocessing.VGG, ResNetV1::resnet152),
    RESNET_V2_50("resnet_v2_50", 299, 1001, Preprocessing.INCEPTION, ResNetV2::resnet50),
    RESNET_V2_101("resnet_v2_101", 299, 1001, Preprocessing.INCEPTION, ResNetV2::resnet101),
    RESNET_V2_152("resnet_v2_152", 299, 1001, Preprocessing.INCEPTION, ResNetV2::resnet152),
    INCEPTION_RESNET_V2("inception_resnet_v2", 299, 1001, Preprocessing.INCEPTION, InceptionResNetV2::build);

    /** The graph's input node: uint8 [1, S, S, 3]. */
    public static final String INPUT = "input";
    /** The graph's output node: float32 softmax probabilities [1, classes]. */
    public static final String OUTPUT = "scores";

    /** An architecture: from the preprocessed image to the logits ([1, classes] after squeeze). */
    @FunctionalInterface
    interface Architecture {
        Net.T logits(Net net, Net.T image, int classes);
    }

    private final String label;
    private final int inputSize;
    private final int classes;
    private final Preprocessing preprocessing;
    private final Architecture architecture;

    Model(String label, int inputSize, int classes, Preprocessing preprocessing, Architecture architecture) {
        this.label = label;
        this.inputSize = inputSize;
        this.classes = classes;
        this.preprocessing = preprocessing;
        this.architecture = architecture;
    }

    @Override
    public String label() {
        return label;
    }

    public int inputSize(Scale scale) {
        return scale.inputSize(inputSize);
    }

    public int classes(Scale scale) {
        return scale.classes(classes);
    }

    public Preprocessing preprocessing() {
        return preprocessing;
    }

    /** What building the model gives: its frozen graph (null when only counted), variables and MACs. */
    public record Built(Model model, Scale scale, GraphDef graph, List<Variable> variables, long macs) {
        /** The frozen float count: every variable, batch-norm statistics included. */
        public long parameters() {
            return variables.stream().mapToLong(Variable::size).sum();
        }
    }

    /** Counts variables and MACs without materialising weights (the graph is null). */
    public Built describe(Scale scale) {
        return build(Net.counting(scale), scale, null);
    }

    /** Builds the frozen inference graph with the given weights. */
    public Built build(Scale scale, Precision precision, Optimize optimize, Weights weights) {
        return build(Net.writing(scale, precision, optimize, weights), scale, weights);
    }

    private Built build(Net net, Scale scale, Weights weights) {
        Net.T image = net.input(scale.inputSize(inputSize), preprocessing);
        Net.T logits = architecture.logits(net, image, scale.classes(classes));
        net.output(logits);
        return new Built(this, scale, weights == null ? null : net.graphDef(), List.copyOf(net.variables()),
                net.macs());
    }

    public static Model of(String label) {
        return Labelled.of(Model.class, "model", label);
    }

    public static String labels() {
        return Labelled.labels(Model.class);
    }

    @Override
    public String toString() {
        return label;
    }
}
