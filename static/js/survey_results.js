// Bar charts of a questionnaire's results: each .survey-chart names the json_script element
// holding its labels and counts (no inline script: the CSP forbids it).
document.addEventListener("DOMContentLoaded", function () {
  if (!window.echarts) { return; }
  document.querySelectorAll(".survey-chart").forEach(function (box) {
    var source = document.getElementById(box.dataset.chart);
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var height = Math.max(160, data.labels.length * 34 + 40);
    box.style.height = height + "px";
    var chart = window.echarts.init(box, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: data.labels, inverse: true, axisLabel: { width: 220, overflow: "truncate" } },
      series: [{ type: "bar", data: data.counts, itemStyle: { color: "#a4161a" }, label: { show: true, position: "right" } }],
      tooltip: { trigger: "axis" }
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
});
