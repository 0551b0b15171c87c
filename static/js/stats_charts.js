// The statistics page charts (reports/stats.html): data from the json_script block "chart-data".
(function () {
  if (typeof Chart === "undefined") { return; }
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  Chart.defaults.font.family = '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif';
  var series = [
    ["on_time", "按期完成", "#198754"], ["late", "逾期完成", "#20c997"], ["pending", "推进中", "#0d6efd"],
    ["overdue", "逾期未完成", "#dc3545"], ["na", "不涉及", "#adb5bd"]
  ];
  function shorten(label) {
    // "鼓政办〔2022〕46号 一、加强……" → "一、加强……（46号）": the heading first, the notice as a hint.
    var m = /^\S*〔\d{4}〕(\d+号) (.*)$/.exec(label), hint = "";
    if (m) { hint = "（" + m[1] + "）"; label = m[2]; }
    return (label.length > 14 ? label.slice(0, 13) + "…" : label) + hint;
  }
  function draw(id, block, horizontal) {
    var el = document.getElementById(id);
    if (!el) { return; }
    new Chart(el, {
      type: "bar",
      data: {
        labels: block.labels,
        datasets: series.map(function (s) { return {label: s[1], data: block[s[0]], backgroundColor: s[2]}; })
      },
      options: {
        indexAxis: horizontal ? "y" : "x", maintainAspectRatio: false, animation: false,
        scales: {
          x: {stacked: true, ticks: {precision: 0}},
          y: {stacked: true, ticks: horizontal ? {autoSkip: false, callback: function (v) { return shorten(this.getLabelForValue(v)); }} : {precision: 0}}
        },
        plugins: {legend: {position: "bottom"}}
      }
    });
  }
  draw("chart-units", data.units, true);
  draw("chart-sections", data.sections, true);
  draw("chart-months", data.months, false);
})();
