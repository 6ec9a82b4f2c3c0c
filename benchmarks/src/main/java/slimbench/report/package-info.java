/**
 * Reading result CSVs and turning them into things people read: the report of one run in the
 * 2019 experiment's layout ({@link slimbench.report.Report}, with {@link slimbench.report.Charts}),
 * and the comparison of several runs ({@link slimbench.report.Diff}). Both start from
 * {@link slimbench.report.Run}, which reads SlimBench's own results CSV and the 2019 reference
 * format alike, so the published figures can be put beside any new run.
 */
package slimbench.report;
