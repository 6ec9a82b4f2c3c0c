package slimbench.model;

/**
 * The interface an ONNX file is written with, for the runtime that reads it. The network, its
 * weights and its preprocessing (inside the graph) are the same in every form; only the input's
 * type and the opset differ, and each form has a file of its own in the cache.
 */
public enum OnnxForm {
    /** The uint8 NHWC image, as the frozen graphs take it, at opset 17: ONNX Runtime's file. */
    UINT8_IMAGE(17, ""),
    /**
     * The same NHWC image as float32 (its 0-255 pixel values, not preprocessed), at opset 13:
     * what every TensorRT from 8.2 reads. TensorRT 8.2 has no uint8 tensors and parses opsets up to
     * 13; later versions take uint8 only into a cast, never into the transpose that comes first here
     * (docs/tensorrt.md).
     */
    FLOAT_IMAGE(13, "-float-input");

    private final long opset;
    private final String suffix;

    OnnxForm(long opset, String suffix) {
        this.opset = opset;
        this.suffix = suffix;
    }

    public long opset() {
        return opset;
    }

    /** What the form adds to the file's name: nothing for the first, the default. */
    String suffix() {
        return suffix;
    }
}
