// monitor.js draws the charts of an alert's page with uPlot (vendored under
// /static/vendor): the evidence's series before and after the measure (the
// measure's date a dashed line), mirror values as bars side by side, and
// declared prices sorted against the floor. The data come from the page's
// <script type="application/json" id="chart-data"> element, written by the
// server; every figure is also in a table on the page.
(function () {
  "use strict";

  var palette = ["#2563eb", "#b45309", "#14532d", "#7c3aed", "#0f766e", "#be123c"];
  var grid = "#e5e9e7", ink = "#34413c", line = "#b91c1c";

  function fmt(v) {
    if (v == null) return "–";
    return v.toLocaleString("en-US", { maximumFractionDigits: Math.abs(v) < 100 ? 3 : 0 });
  }

  function axis(label) {
    return { label: label, labelSize: 22, size: 80, stroke: ink, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 },
      values: function (u, vals) { return vals.map(fmt); } };
  }

  function size(el) { return { width: Math.max(320, el.clientWidth), height: 340 }; }

  // mark draws a labelled dashed line across the plot: vertical at x, or
  // horizontal at y, in data units.
  function mark(u, v, label, vertical) {
    var ctx = u.ctx, b = u.bbox, px = Math.round(u.valToPos(v, vertical ? "x" : "y", true));
    ctx.save();
    ctx.strokeStyle = line;
    ctx.lineWidth = 1.5 * devicePixelRatio;
    ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
    ctx.beginPath();
    if (vertical) {
      ctx.moveTo(px, b.top);
      ctx.lineTo(px, b.top + b.height);
    } else {
      ctx.moveTo(b.left, px);
      ctx.lineTo(b.left + b.width, px);
    }
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = line;
    ctx.font = (12 * devicePixelRatio) + "px system-ui, sans-serif";
    ctx.textAlign = "left";
    var w = ctx.measureText(label).width, gap = 6 * devicePixelRatio;
    if (vertical) {
      var lx = px + gap;
      if (lx + w > b.left + b.width) lx = px - w - gap;
      ctx.textBaseline = "top";
      ctx.fillText(label, lx, b.top + 4 * devicePixelRatio);
    } else {
      ctx.textBaseline = "bottom";
      ctx.fillText(label, b.left + gap, px - 3 * devicePixelRatio);
    }
    ctx.restore();
  }

  function fromZero(u, min, max) { return [Math.min(0, min), max > 0 ? max * 1.1 : 1]; }

  function seriesChart(el, d) {
    var n = d.names.length, series = [{}];
    d.names.forEach(function (name, i) {
      var s = { label: name, stroke: palette[i % palette.length], width: 2, value: function (u, v) { return fmt(v); } };
      if (d.bars) {
        // Bars side by side: each series takes its share of the period's slot.
        s.fill = palette[i % palette.length];
        s.paths = uPlot.paths.bars({ size: [0.8 / n, 60], align: 0, disp: { x0: { unit: 2, values: function (u, sidx) { return u.data[0].map(function () { return (sidx - 1 - (n - 1) / 2) * 0.8 / n; }); } } } });
        s.points = { show: false };
      } else {
        s.points = { show: true, size: 5 };
        s.spanGaps = false;
      }
      series.push(s);
    });
    var xs = d.x.slice();
    var pad = xs.length > 1 ? (xs[1] - xs[0]) / 2 : 86400 * 15;
    var opts = Object.assign(size(el), {
      scales: { x: { time: true, range: function (u, min, max) { return [min - pad, max + pad]; } }, y: { range: fromZero } },
      series: series,
      axes: [{ stroke: ink, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } }, axis(d.unit)],
      legend: { live: true },
      hooks: { draw: [function (u) { if (d.measure != null) mark(u, d.measure, d.measure_label, true); }] }
    });
    return new uPlot(opts, [xs].concat(d.y), el);
  }

  function distributionChart(el, d) {
    var opts = Object.assign(size(el), {
      scales: { x: { time: false }, y: { range: fromZero } },
      series: [
        { label: "Rank (lowest first)" },
        { label: "Declared (" + d.unit + ")", stroke: palette[0], width: 0, points: { show: true, size: 8, fill: palette[0] }, value: function (u, v) { return fmt(v); } }
      ],
      axes: [{ label: "Declarations, lowest price first", labelSize: 22, stroke: ink, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } }, axis(d.unit)],
      legend: { live: true },
      hooks: { draw: [function (u) { mark(u, d.line, d.label + ": " + fmt(d.line), false); }] }
    });
    return new uPlot(opts, [d.x, d.y], el);
  }

  function points(data) {
    var n = 0;
    for (var i = 1; i < data.length; i++) for (var j = 0; j < data[i].length; j++) if (data[i][j] != null) n++;
    return n;
  }

  function start() {
    var src = document.getElementById("chart-data");
    if (!src || typeof uPlot === "undefined") return;
    var all = JSON.parse(src.textContent);
    var charts = window.mineralpactCharts = {}, made = [];
    [["chart-series", "series", seriesChart], ["chart-distribution", "distribution", distributionChart]].forEach(function (c) {
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
      pending = setTimeout(function () { made.forEach(function (m) { m[1].setSize(size(m[0])); }); }, 100);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
