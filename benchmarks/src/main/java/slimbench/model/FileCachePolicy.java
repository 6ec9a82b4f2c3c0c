package slimbench.model;

/**
 * Where a cold shot finds the model's bytes: {@link #COLD} evicts them from the kernel's page
 * cache before each shot, so the shot reads the disk as a first start after boot does;
 * {@link #WARM} reads them through first, so the shot copies from memory (a model just downloaded
 * or run again).
 */
public enum FileCachePolicy implements Labelled {
    COLD("cold"),
    WARM("warm");

    private final String label;

    FileCachePolicy(String label) {
        this.label = label;
    }

    @Override
    public String label() {
        return label;
    }

    public static FileCachePolicy of(String label) {
        return Labelled.of(FileCachePolicy.class, "file cache", label);
    }

    @Override
    public String toString() {
        return label;
    }
}
