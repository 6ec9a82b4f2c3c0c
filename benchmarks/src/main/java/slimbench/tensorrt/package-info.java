/**
 * The {@code tensorrt} runtime: a cell's ONNX model run through the machine's own {@code trtexec},
 * so the TensorRT of a JetPack or a PC (8.2, 8.5, 10.x) builds and times its own engine. Here live
 * finding trtexec and its version, the command lines each version takes, reading its log and JSON
 * files ({@link slimbench.tensorrt.TrtexecOutput}), and turning a cell's trtexec runs into the same
 * figures JMH gives the other engines. docs/tensorrt.md says what was read from NVIDIA's sources;
 * no GPU run was made while writing it.
 */
package slimbench.tensorrt;
