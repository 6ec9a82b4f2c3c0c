package slimbench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.CategoryItemRendererState;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.category.DefaultCategoryDataset;
import slimbench.model.AtomicFile;

/**
 * Horizontal grouped bar charts written to PNG with JFreeChart, headless: one bar per series
 * (runtime and variant) for each category (model), all on one value axis, so that runtimes compare
 * at a glance. Each bar carries a whisker for its interval and its label says {@code ± error};
 * an <i>indicative</i> figure ({@link Interval}) is drawn pale and labelled so, for a bar without a
 * usable interval must not look like a clear difference. A missing value draws no bar.
 */
public final class Charts {
    static {
        // Charts are drawn on servers and Jetsons without a display.
        System.setProperty("java.awt.headless", "true");
    }

    /** Above this max/min ratio a linear axis squashes the small models flat, so the axis turns logarithmic. */
    static final double LOG_SCALE_RANGE = 30;
    /** How far a linear axis reaches past the longest bar, as a share of it: a whisker beyond is cut at the edge. */
    private static final double REACH = 1.6;
    private static final int WIDTH = 1000;
    private static final Color[] PALETTE = {
        new Color(0x4C72B0), new Color(0xDD8452), new Color(0x55A868), new Color(0xC44E52),
        new Color(0x8172B3), new Color(0x937860), new Color(0xDA8BC3), new Color(0x8C8C8C),
        new Color(0xCCB974), new Color(0x64B5CD)};

    /**
     * One bar.
     *
     * @param error      the half-width of its interval, NaN when it has none
     * @param indicative whether the figure carries no conclusion ({@link Interval#indicative})
     */
    public record Bar(double value, double error, boolean indicative) {
        String label() {
            String v = Markdown.number(value) + (Double.isNaN(error) ? "" : " ± " + Markdown.number(error));
            return indicative ? v + "  indicative" : v;
        }
    }

    private Charts() {}

    /**
     * Draws the chart and writes it atomically.
     *
     * @param categories the bar groups, top to bottom
     * @param series     per series (legend entry), the bar of each category it has
     * @return whether the value axis is logarithmic
     */
    public static boolean bars(String title, String valueLabel, List<String> categories,
                               Map<String, Map<String, Bar>> series, Path png) throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (String category : categories) {
            for (var s : series.entrySet()) {
                Bar b = s.getValue().get(category);
                data.addValue(b == null ? null : b.value(), s.getKey(), category);
                if (b != null && b.value() > 0) {
                    min = Math.min(min, b.value());
                    max = Math.max(max, b.value());
                }
            }
        }
        boolean log = max > 0 && max / min > LOG_SCALE_RANGE;
        JFreeChart chart = ChartFactory.createBarChart(title, null, valueLabel, data,
                PlotOrientation.HORIZONTAL, true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        chart.addSubtitle(new TextTitle((log ? "Logarithmic scale. " : "") + "Whiskers: the 95% interval over forks (cut at the "
                + "chart's edge). Pale, labelled indicative: no usable interval (missing, wider than the figure, or from "
                + "fewer than " + Interval.MINIMUM_FORKS + " forks). No bar: the cell failed or was not run.",
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

        WhiskerRenderer renderer = new WhiskerRenderer(series);
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDrawBarOutline(false);
        renderer.setItemMargin(0.04);
        renderer.setMaximumBarWidth(0.1); // a run with one or two models keeps bars of a normal width
        for (int i = 0; i < series.size(); i++) {
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        }
        plot.setRenderer(renderer);

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
            linear.setRange(0, max > 0 ? max * REACH : 1);
            axis = linear;
        }
        axis.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        axis.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        plot.setRangeAxis(axis);

        int height = Math.max(300, 160 + categories.size() * Math.max(28, series.size() * 19 + 10));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(out, chart, WIDTH, height);
        AtomicFile.write(png, out.toByteArray());
        return log;
    }

    /**
     * Bars with a whisker for each interval and a label past the bar or whisker, whichever ends
     * later; an indicative bar pale. The dataset holds the values; the bars, their errors.
     */
    private static final class WhiskerRenderer extends BarRenderer {
        private final List<Map<String, Bar>> bars;

        WhiskerRenderer(Map<String, Map<String, Bar>> series) {
            this.bars = new ArrayList<>(series.values());
        }

        private Bar bar(CategoryDataset data, int row, int column) {
            return bars.get(row).get((String) data.getColumnKey(column));
        }

        @Override
        public Paint getItemPaint(int row, int column) {
            Paint p = super.getItemPaint(row, column);
            CategoryPlot plot = getPlot();
            Bar b = plot == null ? null : bar(plot.getDataset(), row, column);
            if (b != null && b.indicative() && p instanceof Color c) {
                return new Color(c.getRed(), c.getGreen(), c.getBlue(), 90);
            }
            return p;
        }

        @Override
        public void drawItem(Graphics2D g2, CategoryItemRendererState state, Rectangle2D dataArea, CategoryPlot plot,
                             CategoryAxis domainAxis, ValueAxis rangeAxis, CategoryDataset data, int row, int column,
                             int pass) {
            super.drawItem(g2, state, dataArea, plot, domainAxis, rangeAxis, data, row, column, pass);
            Bar b = bar(data, row, column);
            if (b == null || state.getVisibleSeriesIndex(row) < 0) {
                return;
            }
            RectangleEdge edge = plot.getRangeAxisEdge();
            double y = calculateBarW0(plot, plot.getOrientation(), dataArea, domainAxis, state, row, column)
                    + state.getBarWidth() / 2;
            double end = rangeAxis.valueToJava2D(b.value(), dataArea, edge);
            if (!Double.isNaN(b.error()) && b.error() > 0) {
                double lo = b.value() - b.error();
                double x0 = lo > rangeAxis.getLowerBound() ? rangeAxis.valueToJava2D(lo, dataArea, edge) : dataArea.getMinX();
                double x1 = Math.min(rangeAxis.valueToJava2D(b.value() + b.error(), dataArea, edge), dataArea.getMaxX());
                double cap = Math.min(4, state.getBarWidth() / 2);
                g2.setPaint(Color.DARK_GRAY);
                g2.setStroke(new BasicStroke(1.2f));
                g2.draw(new Line2D.Double(x0, y, x1, y));
                if (x0 > dataArea.getMinX()) {
                    g2.draw(new Line2D.Double(x0, y - cap, x0, y + cap));
                }
                if (x1 < dataArea.getMaxX()) {
                    g2.draw(new Line2D.Double(x1, y - cap, x1, y + cap));
                    end = Math.max(end, x1); // else the label goes by the bar, over the whisker
                }
            }
            g2.setFont(new Font(Font.SANS_SERIF, b.indicative() ? Font.ITALIC : Font.PLAIN, 11));
            var metrics = g2.getFontMetrics();
            double x = Math.min(end + 4, dataArea.getMaxX() - metrics.stringWidth(b.label()) - 2);
            double baseline = y + metrics.getAscent() / 2.0 - 1;
            g2.setPaint(new Color(255, 255, 255, 225)); // a whisker under the label must not strike it through
            g2.fill(new Rectangle2D.Double(x - 2, baseline - metrics.getAscent(), metrics.stringWidth(b.label()) + 4,
                    metrics.getAscent() + metrics.getDescent()));
            g2.setPaint(b.indicative() ? Color.GRAY : Color.BLACK);
            g2.drawString(b.label(), (float) x, (float) baseline);
        }
    }
}
