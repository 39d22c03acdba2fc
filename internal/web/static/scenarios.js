// scenarios.js runs a market simulation from the scenarios page through the
// API (POST /v1/simulations; GET /v1/simulations/{id} while a long run
// progresses) and draws its fan charts with uPlot (vendored under
// /static/vendor): the 5th–95th percentile band and the median of the Monte
// Carlo paths, the central paths of the design and of no agreement, and, when
// comparing, the variant's median and band.
(function () {
  "use strict";

  var colors = {
    a: "#14532d", aBand: "rgba(20, 83, 45, 0.16)",
    b: "#b45309", bBand: "rgba(180, 83, 9, 0.14)",
    base: "#6b7280", floor: "#b91c1c", ceiling: "#2563eb",
    grid: "#e5e9e7", ink: "#34413c"
  };

  var charts = window.mineralpactCharts = {};

  function $(id) { return document.getElementById(id); }

  function fmt(v) {
    if (v == null || isNaN(v)) return "–";
    var a = Math.abs(v);
    if (a >= 1e9) return (v / 1e9).toLocaleString("en-US", { maximumFractionDigits: 2 }) + " bn";
    if (a >= 1e6) return (v / 1e6).toLocaleString("en-US", { maximumFractionDigits: 2 }) + " m";
    return v.toLocaleString("en-US", { maximumFractionDigits: a < 100 ? 2 : 0 });
  }

  function monthTime(m) { return Date.UTC(+m.slice(0, 4), +m.slice(5, 7) - 1, 1) / 1000; }

  function status(state, text) {
    var el = $("sim-status");
    el.dataset.state = state;
    el.textContent = text;
    el.setAttribute("role", state === "error" ? "alert" : "status");
  }

  function progress(p) {
    var el = $("sim-progress");
    el.hidden = p == null;
    if (p != null) el.value = p;
  }

  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }

  async function answer(resp) {
    var body = await resp.json();
    if (!resp.ok) throw new Error(body.error ? body.error.message : "HTTP " + resp.status);
    return body;
  }

  // simulate posts a run and waits for it, reporting progress.
  async function simulate(req, onProgress) {
    // A run needs an analyst's session: the cookie goes with the request,
    // the CSRF token (the page's meta) in a header.
    var meta = document.querySelector('meta[name="csrf-token"]');
    var headers = { "Content-Type": "application/json" };
    if (meta) headers["X-CSRF-Token"] = meta.content;
    var resp = await fetch("/v1/simulations", { method: "POST", headers: headers, body: JSON.stringify(req) });
    if (resp.status === 401) throw new Error("running a scenario needs an analyst's sign-in: /signin");
    var sim = await answer(resp);
    while (sim.status === "queued" || sim.status === "running") {
      onProgress(sim.progress || 0);
      await sleep(300);
      sim = await answer(await fetch("/v1/simulations/" + encodeURIComponent(sim.id)));
    }
    if (sim.status === "failed") throw new Error(sim.error || "the run failed");
    onProgress(1);
    return sim.result;
  }

  function axis(label) {
    return {
      label: label, labelSize: 22, size: 76, stroke: colors.ink,
      grid: { stroke: colors.grid, width: 1 }, ticks: { stroke: colors.grid, width: 1 },
      values: function (u, vals) { return vals.map(fmt); }
    };
  }

  function draw(id, series, data, bands, yLabel) {
    var el = $(id);
    if (charts[id]) { charts[id].destroy(); delete charts[id]; }
    var flat = { show: false };
    series = [{}].concat(series.map(function (s) {
      return Object.assign({ points: flat, width: 1.5, value: function (u, v) { return fmt(v); } }, s);
    }));
    var opts = {
      width: Math.max(320, el.clientWidth), height: 320,
      scales: { x: { time: true } },
      series: series, bands: bands,
      axes: [{ stroke: colors.ink, grid: { stroke: colors.grid, width: 1 }, ticks: { stroke: colors.grid, width: 1 } }, axis(yLabel)],
      legend: { live: true }
    };
    var u = new uPlot(opts, data, el);
    charts[id] = u;
    var n = 0;
    for (var i = 1; i < u.data.length; i++) for (var j = 0; j < u.data[i].length; j++) if (u.data[i][j] != null) n++;
    el.setAttribute("data-points", String(n));
  }

  // fan adds a percentile band (P5–P95) and its median to series and data.
  function fan(f, label, color, band, series, data, bands) {
    if (!f) return;
    var i = data.length;
    series.push({ label: label + " P95", stroke: color, width: 0.8, dash: [3, 3] });
    series.push({ label: label + " P50", stroke: color, width: 2.2 });
    series.push({ label: label + " P5", stroke: color, width: 0.8, dash: [3, 3] });
    data.push(f.p95, f.p50, f.p5);
    bands.push({ series: [i, i + 2], fill: band });
  }

  function regionIndex(r, id) { return Math.max(0, (r.regions || []).indexOf(id)); }

  function centralSeries(r, region, pick) {
    var g = regionIndex(r, region);
    return [r.central.months.map(function (m) { return pick(m.regions[g], m); }),
            r.baseline.months.map(function (m) { return pick(m.regions[g], m); })];
  }

  function drawMarket(a, b) {
    var x = a.months.map(monthTime);
    var region = a.monte_carlo ? a.monte_carlo.region : (a.zone || a.regions[0]);
    var per = a.currency + " per " + a.unit;
    // Price.
    var series = [], data = [x], bands = [];
    fan(a.monte_carlo && a.monte_carlo.price, "A", colors.a, colors.aBand, series, data, bands);
    if (b) fan(b.monte_carlo && b.monte_carlo.price, "B", colors.b, colors.bBand, series, data, bands);
    var c = centralSeries(a, region, function (rg) { return rg.price; });
    series.push({ label: "A, central path", stroke: colors.a, width: 1.2, dash: [8, 3] });
    series.push({ label: "No agreement, central path", stroke: colors.base, width: 1.5 });
    data.push(c[0], c[1]);
    if (b) {
      series.push({ label: "B, central path", stroke: colors.b, width: 1.2, dash: [8, 3] });
      data.push(centralSeries(b, region, function (rg) { return rg.price; })[0]);
    }
    series.push({ label: "Floor", stroke: colors.floor, width: 1, dash: [2, 3] });
    data.push(a.central.months.map(function (m) { return m.floor || null; }));
    draw("chart-sim-price", series, data, bands, per);
    $("cap-price").textContent = "The price in " + region + " (" + per + ") by month: the band is the 5th to 95th percentile of the Monte Carlo paths, the thick line their median" +
      (b ? " (A: the design, B: its floor × " + b.design.floor_scale + ")" : "") + "; dashed, the central path without random shocks; grey, no agreement.";

    // Revenue.
    series = []; data = [x]; bands = [];
    if (a.monte_carlo) {
      fan(a.monte_carlo.revenue, "A", colors.a, colors.aBand, series, data, bands);
      if (b && b.monte_carlo) fan(b.monte_carlo.revenue, "B", colors.b, colors.bBand, series, data, bands);
    } else {
      series.push({ label: "A, central path", stroke: colors.a, width: 2 });
      data.push(a.central.months.map(function (m) { return m.regions.reduce(function (s, rg) { return s + rg.tariff_revenue.total; }, 0); }));
    }
    draw("chart-sim-revenue", series, data, bands, a.currency + " a month");

    // Buffer stock.
    series = []; data = [x]; bands = [];
    if (a.monte_carlo && a.monte_carlo.buffer_tonnes) {
      fan(a.monte_carlo.buffer_tonnes, "A", colors.a, colors.aBand, series, data, bands);
      if (b && b.monte_carlo && b.monte_carlo.buffer_tonnes) fan(b.monte_carlo.buffer_tonnes, "B", colors.b, colors.bBand, series, data, bands);
    }
    if (a.central.buffer_stock) {
      series.push({ label: "A, central path", stroke: colors.a, width: 1.2, dash: [8, 3] });
      data.push(a.central.months.map(function (m) { return m.buffer_stock ? m.buffer_stock.tonnes : null; }));
    }
    $("fig-buffer").hidden = series.length === 0;
    if (series.length) {
      draw("chart-sim-buffer", series, data, bands, a.unit);
      var mc = a.monte_carlo;
      $("cap-buffer").textContent = "The buffer stock's holding (" + a.unit + ") at the end of each month" +
        (mc ? "; the probability that it is exhausted (cannot hold the floor for want of money or space) during the run: " + mc.exhaustion_probability.toFixed(3) +
          (b && b.monte_carlo ? " (B: " + b.monte_carlo.exhaustion_probability.toFixed(3) + ")" : "") : "") + ".";
    }
  }

  function drawReplay(a) {
    var rp = a.replay, x = rp.months.map(function (m) { return monthTime(m.month); });
    draw("chart-sim-price", [
      { label: "Price (" + rp.series + ")", stroke: colors.a, width: 1.8 },
      { label: "Floor", stroke: colors.floor, width: 1.2 },
      { label: "Ceiling", stroke: colors.ceiling, width: 1.2 }
    ], [x, rp.months.map(function (m) { return m.price; }), rp.months.map(function (m) { return m.floor; }), rp.months.map(function (m) { return m.ceiling; })], [], "USD per " + rp.unit);
    $("cap-price").textContent = "The recorded price against the band (USD per " + rp.unit + "; the band is a reconstruction: see the scenario's notice).";
    draw("chart-sim-revenue", [
      { label: "Bought", stroke: colors.a, width: 1.5 },
      { label: "Sold", stroke: colors.b, width: 1.5 }
    ], [x, rp.months.map(function (m) { return m.bought; }), rp.months.map(function (m) { return m.sold; })], [], rp.unit + " a month");
    $("fig-buffer").hidden = false;
    draw("chart-sim-buffer", [{ label: "Holding", stroke: colors.a, width: 2 }], [x, rp.months.map(function (m) { return m.tonnes; })], [], rp.unit);
    $("cap-buffer").textContent = "The buffer stock's holding; exhausted: " + (rp.exhausted ? rp.exhausted + " (" + rp.exhausted_by + ")" : "never") +
      "; out of stock at the ceiling: " + (rp.stock_out || "never") + ".";
  }

  function summary(a, b) {
    var thead = $("sim-summary").querySelector("thead"), tbody = $("sim-summary").querySelector("tbody");
    thead.innerHTML = "";
    tbody.innerHTML = "";
    var h = document.createElement("tr");
    ["", "A: the design", b ? "B: floor × " + b.design.floor_scale : null].forEach(function (t) {
      if (t == null) return;
      var th = document.createElement("th"); th.scope = "col"; th.textContent = t; h.appendChild(th);
    });
    thead.appendChild(h);
    function row(label, f) {
      var tr = document.createElement("tr"), th = document.createElement("th");
      th.scope = "row"; th.textContent = label; tr.appendChild(th);
      [a, b].forEach(function (r) {
        if (!r) return;
        var td = document.createElement("td"); td.className = "n"; td.textContent = f(r); tr.appendChild(td);
      });
      tbody.appendChild(tr);
    }
    if (a.replay) {
      row("Bought (" + a.unit + ")", function (r) { return fmt(r.replay.bought); });
      row("Sold (" + a.unit + ")", function (r) { return fmt(r.replay.sold); });
      row("Exhausted", function (r) { return r.replay.exhausted || "never"; });
      return;
    }
    var c = function (r) { return r.comparison; };
    row("Floor at the start (" + a.currency + "/" + a.unit + ")", function (r) { return r.design.floors.length ? fmt(r.design.floors[0].floor) : "–"; });
    (a.regions || []).forEach(function (id, g) {
      row("Mean price, " + id + " (no agreement " + fmt(c(a).regions[g].mean_price_baseline) + ")", function (r) { return fmt(c(r).regions[g].mean_price); });
    });
    row("Cost to consumers in the zone (" + a.currency + ")", function (r) { return fmt(c(r).zone_consumer_cost); });
    row("Tariff revenue of the zone (" + a.currency + ")", function (r) { return fmt(c(r).regions.reduce(function (s, d) { return s + d.tariff_revenue; }, 0)); });
    row("Projects committed (no agreement " + c(a).projects_committed_baseline + ")", function (r) { return String(c(r).projects_committed); });
    row("Buffer stock exhausted (central path)", function (r) { return r.central.buffer_stock ? (r.central.buffer_stock.exhausted || "never") : "no buffer stock"; });
    if (a.monte_carlo) {
      row("Paths (seed " + a.monte_carlo.seed + ")", function (r) { return String(r.monte_carlo.paths); });
      row("Probability the buffer stock is exhausted", function (r) { return r.monte_carlo.buffer_tonnes ? r.monte_carlo.exhaustion_probability.toFixed(3) : "–"; });
    }
  }

  async function run(ev) {
    ev.preventDefault();
    var btn = $("run");
    var scenario = $("scenario").value;
    var req = { scenario: scenario, paths: Math.max(0, parseInt($("paths").value, 10) || 0), seed: Math.max(0, parseInt($("seed").value, 10) || 0) };
    var compare = $("compare").checked;
    var reqs = [req];
    if (compare) reqs.push(Object.assign({}, req, { floor_scale: parseFloat($("floor_scale").value) || 1 }));
    btn.disabled = true;
    status("running", "Running " + scenario + (compare ? ", two designs" : "") + "…");
    var parts = reqs.map(function () { return 0; });
    progress(0);
    try {
      var results = await Promise.all(reqs.map(function (r, i) {
        return simulate(r, function (p) {
          parts[i] = p;
          progress(parts.reduce(function (s, v) { return s + v; }, 0) / parts.length);
        });
      }));
      var a = results[0], b = results[1] || null;
      $("sim-results").hidden = false;
      summary(a, b);
      if (a.replay) drawReplay(a); else drawMarket(a, b);
      progress(null);
      status("done", "Done: " + a.scenario.title + (a.scenario.illustrative ? " (illustrative)" : "") + ", " + a.months.length + " months" +
        (a.monte_carlo ? ", " + a.monte_carlo.paths + " paths" : "") + ".");
    } catch (e) {
      progress(null);
      status("error", "The run failed: " + e.message);
    } finally {
      btn.disabled = false;
    }
  }

  function start() {
    var form = $("sim-form");
    if (!form || typeof uPlot === "undefined") return;
    form.addEventListener("submit", run);
    $("scenario").addEventListener("change", function () {
      var v = this.value;
      document.querySelectorAll(".scenario-note").forEach(function (n) { n.hidden = n.dataset.scenario !== v; });
    });
    window.addEventListener("resize", function () {
      Object.keys(charts).forEach(function (id) { charts[id].setSize({ width: Math.max(320, $(id).clientWidth), height: 320 }); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
