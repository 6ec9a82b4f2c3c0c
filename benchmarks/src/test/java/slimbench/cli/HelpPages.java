package slimbench.cli;

import picocli.CommandLine;

/** Prints the jar's help and every command's, as {@code --help} does: for a test that reads picocli's warnings. */
public final class HelpPages {
    private HelpPages() {}

    public static void main(String[] args) {
        CommandLine top = Main.commandLine();
        System.out.println(top.getUsageMessage());
        for (CommandLine c : top.getSubcommands().values()) {
            System.out.println(c.getUsageMessage());
        }
        System.out.flush();
    }
}
