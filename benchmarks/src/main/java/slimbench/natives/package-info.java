/**
 * The natives inside benchmarks.jar: reading and adapting the symbol versions of TensorFlow Java's
 * arm64 binding so it loads on a Jetson's older userland ({@link slimbench.natives.ElfVersions}),
 * and turning a native that cannot load into one line that says why and what to do
 * ({@link slimbench.natives.NativeLoad}).
 */
package slimbench.natives;
