// charts.js draws the charts of a reference-price page with uPlot (vendored
// under /static/vendor). The data come from the page's
// <script type="application/json" id="chart-data"> element, written by the
// server; every figure is also in a table on the page.
(function () {
  "use strict";

  var colors = {
    floor: "#14532d",
    backcast: "#6b8f7b",
    market: "#2563eb",
    counted: "#1f7a45",
    countedFill: "rgba(31, 122, 69, 0.28)",
    excluded: "#9ca3af",
    excludedFill: "rgba(156, 163, 175, 0.35)",
    line: "#b91c1c",
    cash: "#b45309",
    grid: "#e5e9e7",
    ink: "#34413c"
  };

  function fmt(v) {
    if (v == null) return "–";
    return v.toLocaleString("en-US", { maximumFractionDigits: Math.abs(v) < 100 ? 2 : 0 });
  }

  function axis(label) {
    return {
      label: label,
      labelSize: 22,
      size: 72,
      stroke: colors.ink,
      grid: { stroke: colors.grid, width: 1 },
      ticks: { stroke: colors.grid, width: 1 },
      values: function (u, vals) { return vals.map(fmt); }
    };
  }

  // points counts the values a chart draws, the series it drew them in, and
  // marks the figure, so that a test (or a person) can see it drew data.
  function points(data) {
    var n = 0;
    for (var i = 1; i < data.length; i++) {
      for (var j = 0; j < data[i].length; j++) if (data[i][j] != null) n++;
    }
    return n;
  }

  // vline draws a labelled vertical line at x (in data units).
  function vline(u, x, label, color, dash) {
    var ctx = u.ctx, px = Math.round(u.valToPos(x, "x", true)), top = u.bbox.top, h = u.bbox.height;
    ctx.save();
    ctx.strokeStyle = color;
    ctx.lineWidth = 1.5 * devicePixelRatio;
    ctx.setLineDash(dash.map(function (d) { return d * devicePixelRatio; }));
    ctx.beginPath();
    ctx.moveTo(px, top);
    ctx.lineTo(px, top + h);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = color;
    ctx.font = (12 * devicePixelRatio) + "px system-ui, sans-serif";
    ctx.textBaseline = "top";
    var w = ctx.measureText(label).width;
    var lx = px + 6 * devicePixelRatio;
    if (lx + w > u.bbox.left + u.bbox.width) lx = px - w - 6 * devicePixelRatio;
    ctx.fillText(label, lx, top + 4 * devicePixelRatio);
    ctx.restore();
  }

  // fromZero starts a price axis at 0, so that steps and gaps keep their
  // proportions, with a little room above the highest value.
  function fromZero(u, min, max) {
    return [0, max > 0 ? max * 1.08 : 1];
  }

  function size(el) {
    return { width: Math.max(320, el.clientWidth), height: 340 };
  }

  function overTime(el, d) {
    var stepped = uPlot.paths.stepped({ align: 1 });
    var series = [
      {},
      { label: "Floor, backcast", stroke: colors.backcast, width: 2, dash: [6, 4], paths: stepped, points: { show: false }, value: function (u, v) { return fmt(v); } },
      { label: "Floor", stroke: colors.floor, width: 2.5, paths: stepped, points: { show: false }, value: function (u, v) { return fmt(v); } }
    ];
    var data = [d.x, d.backcast, d.floor];
    if (d.market) {
      series.push({ label: d.market_label + " (monthly)", stroke: colors.market, width: 1.5, points: { show: false }, value: function (u, v) { return fmt(v); } });
      data.push(d.market);
    }
    var opts = Object.assign(size(el), {
      scales: { x: { time: true }, y: { range: fromZero } },
      series: series,
      axes: [{ stroke: colors.ink, grid: { stroke: colors.grid, width: 1 }, ticks: { stroke: colors.grid, width: 1 } }, axis(d.unit)],
      legend: { live: true },
      hooks: { draw: [function (u) { vline(u, d.entry_into_force, "entry into force", "#6b7280", [3, 3]); }] }
    });
    return new uPlot(opts, data, el);
  }

  function costCurve(el, d) {
    var flat = { show: false };
    var opts = Object.assign(size(el), {
      scales: { x: { time: false }, y: { range: fromZero } },
      series: [
        { label: "Cumulative capacity (" + d.cap_unit + "/year)", value: function (u, v) { return fmt(v); } },
        { label: "Counted producers", stroke: colors.counted, fill: colors.countedFill, width: 1.5, points: flat, value: function (u, v) { return fmt(v); } },
        { label: "Excluded producers", stroke: colors.excluded, fill: colors.excludedFill, width: 1.5, points: flat, value: function (u, v) { return fmt(v); } },
        { label: "Floor", stroke: colors.line, width: 2, dash: [8, 4], points: flat, value: function (u, v) { return fmt(v); } },
        { label: "Cash cost at P" + d.percentile, stroke: colors.cash, width: 1.5, dash: [2, 3], points: flat, value: function (u, v) { return fmt(v); } }
      ],
      axes: [
        { label: "Cumulative capacity, " + d.cap_unit + " a year", labelSize: 22, stroke: colors.ink, grid: { stroke: colors.grid, width: 1 }, ticks: { stroke: colors.grid, width: 1 }, values: function (u, vals) { return vals.map(fmt); } },
        axis(d.unit)
      ],
      legend: { live: true },
      hooks: { draw: [function (u) { vline(u, d.target_x, "P" + d.percentile + " of counted production: " + d.marginal, colors.ink, [2, 3]); }] }
    });
    return new uPlot(opts, [d.x, d.counted, d.excluded, d.floor, d.cash_cost], el);
  }

  function start() {
    var src = document.getElementById("chart-data");
    if (!src || typeof uPlot === "undefined") return;
    var all = JSON.parse(src.textContent);
    var made = [];
    var charts = window.mineralpactCharts = {};
    [["chart-over-time", "over_time", overTime], ["chart-cost-curve", "cost_curve", costCurve]].forEach(function (c) {
      var el = document.getElementById(c[0]);
      if (!el || !all[c[1]]) return;
      var u = c[2](el, all[c[1]]);
      charts[c[0]] = u;
      el.setAttribute("data-points", String(points(u.data)));
      made.push([el, u]);
    });
    var pending;
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(function () {
        made.forEach(function (m) { m[1].setSize(size(m[0])); });
      }, 100);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
