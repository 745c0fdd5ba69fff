// The announced tally: a long one is shown a page at a time, turning every PAGE_MS; the page
// follows the clock, so an htmx refresh (every 1.5 s) keeps the page shown. Under the table,
// the page's items as a stacked bar chart (ECharts), with whole-ballot ticks.
(function () {
  var PAGE_MS = 10000;
  var chart = null;
  var lastKey = null;
  function currentPage(results) {
    var pages = parseInt(results.getAttribute("data-pages"), 10) || 1;
    return Math.floor(Date.now() / PAGE_MS) % pages;
  }
  function showPage(results, page) {
    results.querySelectorAll("[data-page]").forEach(function (el) {
      el.hidden = parseInt(el.getAttribute("data-page"), 10) !== page;
    });
  }
  function draw() {
    var holder = document.getElementById("screen-chart");
    var source = document.getElementById("screen-chart-data");
    var results = document.querySelector(".screen-results");
    if (!holder || !source || !results || typeof echarts === "undefined") { if (chart) { chart.dispose(); chart = null; lastKey = null; } return; }
    var page = currentPage(results);
    showPage(results, page);
    if (chart && chart.getDom() !== holder) { chart.dispose(); chart = null; }
    var key = page + ":" + source.textContent;
    if (chart && key === lastKey) { return; }
    lastKey = key;
    var data = JSON.parse(source.textContent);
    var size = parseInt(results.getAttribute("data-rows-per-page"), 10) || data.items.length;
    var from = page * size, to = from + size;
    chart = chart || echarts.init(holder, "dark", { renderer: "svg" });
    chart.setOption({
      backgroundColor: "transparent",
      animation: false,
      textStyle: { fontSize: 22 },
      legend: { top: 0, textStyle: { fontSize: 24 } },
      grid: { left: 10, right: 30, top: 45, bottom: 5, containLabel: true },
      xAxis: { type: "value", minInterval: 1, axisLabel: { fontSize: 22 } },
      yAxis: { type: "category", inverse: true, data: data.items.slice(from, to), axisLabel: { fontSize: 24, interval: 0 } },
      series: data.series.map(function (s) { return { name: s.name, type: "bar", stack: "total", data: s.data.slice(from, to) }; })
    }, true);
  }
  document.addEventListener("DOMContentLoaded", draw);
  document.body.addEventListener("htmx:afterSwap", draw);
  window.setInterval(draw, 1000);
  window.addEventListener("resize", function () { if (chart) { chart.resize(); } });
})();
