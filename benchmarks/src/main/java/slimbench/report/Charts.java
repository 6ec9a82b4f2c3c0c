package slimbench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import slimbench.model.AtomicFile;
import slimbench.suite.ResultsCsv;

/**
 * Horizontal grouped bar charts written to PNG, headless: one bar per series (variant) for each
 * category (model). A missing value draws no bar; the report's table says why.
 */
public final class Charts {
    static {
        // Charts are drawn on servers and Jetsons without a display.
        System.setProperty("java.awt.headless", "true");
    }

    /** Above this max/min ratio a linear axis squashes the small models flat, so the axis turns logarithmic. */
    static final double LOG_SCALE_RANGE = 30;
    private static final int WIDTH = 1000;
    private static final Color[] PALETTE = {
        new Color(0x4C72B0), new Color(0xDD8452), new Color(0x55A868), new Color(0xC44E52),
        new Color(0x8172B3), new Color(0x937860)};

    private Charts() {}

    /**
     * Draws the chart and writes it atomically.
     *
     * @param categories the bar groups, top to bottom
     * @param series     per series (legend entry), the value of each category it has
     * @return whether the value axis is logarithmic
     */
    public static boolean bars(String title, String valueLabel, List<String> categories,
                               Map<String, Map<String, Double>> series, Path png) throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (String category : categories) {
            for (var s : series.entrySet()) {
                Double v = s.getValue().get(category);
                data.addValue(v, s.getKey(), category);
                if (v != null && v > 0) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        boolean log = max > 0 && max / min > LOG_SCALE_RANGE;
        JFreeChart chart = ChartFactory.createBarChart(title, null, valueLabel, data,
                PlotOrientation.HORIZONTAL, true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        chart.addSubtitle(new TextTitle(
                (log ? "Logarithmic scale. " : "") + "No bar: the cell failed or was not run; report.md says which.",
                new Font(Font.SANS_SERIF, Font.PLAIN, 12)));
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setRangeAxisLocation(AxisLocation.BOTTOM_OR_LEFT);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        plot.setOutlineVisible(false);
        plot.getDomainAxis().setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        plot.getDomainAxis().setCategoryMargin(0.25);
        plot.getDomainAxis().setLowerMargin(0.02);
        plot.getDomainAxis().setUpperMargin(0.02);

        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDrawBarOutline(false);
        renderer.setItemMargin(0.04);
        renderer.setMaximumBarWidth(0.1); // a run with one or two models keeps bars of a normal width
        for (int i = 0; i < series.size(); i++) {
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        }
        renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", new DecimalFormat("#,##0.#")));
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        renderer.setDefaultPositiveItemLabelPosition(
                new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3, TextAnchor.CENTER_LEFT));

        ValueAxis axis;
        if (log) {
            LogAxis logAxis = new LogAxis(valueLabel);
            // Whole decades, with room below the smallest bar and to the right for its label.
            double lower = Math.pow(10, Math.floor(Math.log10(min / 2)));
            logAxis.setRange(lower, Math.pow(10, Math.ceil(Math.log10(max * 3))));
            logAxis.setTickUnit(new NumberTickUnit(1.0), false, true);
            logAxis.setNumberFormatOverride(new DecimalFormat("#,##0.###"));
            logAxis.setMinorTickCount(9);
            logAxis.setMinorTickMarksVisible(true);
            renderer.setBase(lower); // bars start at the axis, not at log(0)
            axis = logAxis;
        } else {
            NumberAxis linear = new NumberAxis(valueLabel);
            linear.setUpperMargin(0.12); // room for the value labels
            axis = linear;
        }
        axis.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        axis.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        plot.setRangeAxis(axis);

        int height = Math.max(280, 140 + categories.size() * Math.max(28, series.size() * 17 + 10));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(out, chart, WIDTH, height);
        AtomicFile.write(png, out.toByteArray());
        return log;
    }
}
