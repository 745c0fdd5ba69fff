// Charts of the public site's publication pages (ECharts, canvas). Each .pub-chart names the
// json_script element holding its labels and series; the same numbers are in the page's tables,
// so without JavaScript nothing is lost. No inline script: the CSP forbids it.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.echarts) { return; }
  var palette = ["#1f6f3f", "#4c9a5f", "#c9a227", "#a4161a", "#6c757d"];
  var narrow = window.matchMedia("(max-width: 576px)").matches;
  document.querySelectorAll(".pub-chart").forEach(function (box) {
    var source = document.getElementById(box.dataset.chart);
    if (!source) { return; }
    var chart = JSON.parse(source.textContent);
    var rows = chart.labels.length;
    var perRow = chart.type === "grouped" ? 40 : 30;
    box.style.height = Math.max(200, rows * perRow + 90) + "px";
    var unit = chart.unit || "";
    var series = chart.series.map(function (s, i) {
      var item = {
        name: s.name, type: "bar", data: s.data,
        itemStyle: { color: chart.type === "stacked" ? palette[i % palette.length] : (i ? "#1f3a5f" : "#a4161a") },
        label: { show: chart.type !== "stacked", position: "right", formatter: "{c}" + unit }
      };
      if (chart.type === "stacked") { item.stack = "total"; }
      return item;
    });
    var instance = window.echarts.init(box, null, { renderer: "canvas" });
    instance.setOption({
      animation: false,
      aria: { enabled: true },
      color: palette,
      legend: { show: chart.series.length > 1, top: 0, type: "scroll" },
      grid: { left: 8, right: unit ? 56 : 24, top: chart.series.length > 1 ? 32 : 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", max: unit === "%" ? 100 : null, minInterval: unit ? 0 : 1,
               axisLabel: { formatter: "{value}" + unit } },
      yAxis: { type: "category", data: chart.labels, inverse: true,
               axisLabel: { width: narrow ? 96 : 180, overflow: "truncate" } },
      series: series
    });
    window.addEventListener("resize", function () { instance.resize(); });
  });
});
