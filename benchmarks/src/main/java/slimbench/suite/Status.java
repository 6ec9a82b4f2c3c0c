package slimbench.suite;

/** How a benchmark cell ended. Failures are results too, so every cell gets one of these. */
public enum Status {
    /** Measured. */
    OK,
    /** Java heap or TensorFlow reported out of memory. */
    OOM,
    /** The fork died by a signal, e.g. the kernel's OOM killer or the memory ceiling. */
    KILLED,
    /** The cell's wall-clock watchdog ended the fork. */
    TIMEOUT,
    /** Anything else that went wrong; the message says what. */
    ERROR,
    /**
     * The machine failed, not the cell (a full disk, JMH's lock held by another program): not a
     * result, so {@code --resume} runs the cell again.
     */
    ENVIRONMENT,
    /** This runtime or device cannot run the cell; the message says why. */
    UNSUPPORTED,
    /** Measured, but the figure cannot be true (a fraction above 100% of the measured peak); the message says why. */
    INVALID,
    /** Only in the 2019 reference: the first inference had not finished after 5 minutes. */
    NOT_STARTED,
    /** Only in the 2019 reference: the cell was left empty. */
    NOT_MEASURED;

    public boolean ok() {
        return this == OK;
    }

    /** The failures {@code --retry-failed} runs again (an ENVIRONMENT failure always runs again). */
    public boolean retriable() {
        return this == ERROR || this == TIMEOUT || this == KILLED;
    }
}
