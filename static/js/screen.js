// Draws the announced tally as a stacked bar chart (ECharts) after each htmx refresh.
(function () {
  var chart = null;
  var lastData = null;
  function draw() {
    var holder = document.getElementById("screen-chart");
    var source = document.getElementById("screen-chart-data");
    if (!holder || !source || typeof echarts === "undefined") { if (chart) { chart.dispose(); chart = null; lastData = null; } return; }
    if (chart && chart.getDom() !== holder) { chart.dispose(); chart = null; }
    if (chart && source.textContent === lastData) { return; }
    lastData = source.textContent;
    var data = JSON.parse(lastData);
    chart = chart || echarts.init(holder, "dark", { renderer: "svg" });
    chart.setOption({
      backgroundColor: "transparent",
      animation: false,
      textStyle: { fontSize: 18 },
      legend: { top: 0, textStyle: { fontSize: 20 } },
      grid: { left: 10, right: 30, top: 50, bottom: 10, containLabel: true },
      xAxis: { type: "value", axisLabel: { fontSize: 16 } },
      yAxis: { type: "category", inverse: true, data: data.items, axisLabel: { fontSize: 16 } },
      series: data.series.map(function (s) { return { name: s.name, type: "bar", stack: "total", data: s.data }; })
    }, true);
  }
  document.addEventListener("DOMContentLoaded", draw);
  document.body.addEventListener("htmx:afterSwap", draw);
  window.addEventListener("resize", function () { if (chart) { chart.resize(); } });
})();
