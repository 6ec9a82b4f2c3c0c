package slimbench.suite;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Another program holding JMH's lock, as a JMH benchmark does while it runs: locks the file named
 * by its argument, says so, and holds it until its stdin closes (or it is killed).
 */
public final class HoldsFileLock {
    private HoldsFileLock() {}

    public static void main(String[] args) throws Exception {
        try (FileChannel ch = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE); FileLock lock = ch.lock()) {
            System.out.println("locked " + args[0]);
            System.out.flush();
            while (System.in.read() >= 0) {
                // holds the lock until the test lets go
            }
        }
    }
}
