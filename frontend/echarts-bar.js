// The ECharts the public site's charts use: horizontal bar charts (single, grouped, stacked)
// with a grid, a scrolling legend, an axis tooltip and ARIA, drawn on canvas. Nothing else.
import * as echarts from "echarts/core";
import { BarChart } from "echarts/charts";
import { AriaComponent, GridComponent, LegendScrollComponent, TooltipComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

echarts.use([BarChart, GridComponent, LegendScrollComponent, TooltipComponent, AriaComponent, CanvasRenderer]);
window.echarts = echarts;
