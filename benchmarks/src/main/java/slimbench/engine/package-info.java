/**
 * The inference engines: one {@link slimbench.engine.InferenceEngine} each, found by name in
 * {@link slimbench.engine.Engines}, so that nothing outside this package asks which engine a cell
 * runs on. TensorFlow's and ONNX Runtime's adapters live here (loading into an
 * {@link slimbench.engine.Inference}, the oneDNN rewrite, TensorRT's provider, op profiles); an
 * engine timed by its own tool (TensorRT's trtexec) is a {@link slimbench.engine.SelfTimed} of its own package.
 */
package slimbench.engine;
