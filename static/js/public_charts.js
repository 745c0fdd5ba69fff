// Charts of the public site's publication pages (ECharts, canvas). Each .pub-chart names the
// json_script element holding its labels and series; the same numbers are in the page's tables,
// so without JavaScript nothing is lost. No inline script: the CSP forbids it.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.echarts) { return; }
  var narrow = window.matchMedia("(max-width: 576px)").matches;
  document.querySelectorAll(".pub-chart").forEach(function (box) {
    var source = document.getElementById(box.dataset.chart);
    if (!source) { return; }
    var chart = JSON.parse(source.textContent);
    var rows = chart.labels.length;
    var perRow = chart.type === "grouped" ? 40 : 30;
    box.style.height = Math.max(200, rows * perRow + 90) + "px";
    var unit = chart.unit || "";
    var series = chart.series.map(function (s) {
      var item = {
        name: s.name, type: "bar", data: s.data,
        itemStyle: { color: s.colour },
        label: { show: chart.type !== "stacked", position: "right", formatter: "{c}" + unit }
      };
      if (chart.type === "stacked") { item.stack = "total"; }
      return item;
    });
    var instance = window.echarts.init(box, null, { renderer: "canvas" });
    instance.setOption({
      animation: false,
      aria: { enabled: true },
      color: chart.series.map(function (s) { return s.colour; }),
      legend: { show: chart.series.length > 1, top: 0, type: "scroll" },
      grid: { left: 8, right: unit ? 56 : 24, top: chart.series.length > 1 ? 32 : 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", max: chart.max || null, minInterval: chart.max ? 0 : 1,
               axisLabel: { formatter: "{value}" + unit } },
      yAxis: { type: "category", data: chart.labels, inverse: true,
               axisLabel: { width: narrow ? 96 : 180, overflow: "truncate" } },
      series: series
    });
    window.addEventListener("resize", function () { instance.resize(); });
  });
});
