// projects.js draws the projects pages (issue 17) with uPlot, from the API's
// answers, called with the analyst's session: the pipeline page's ranking
// (POST /v1/projects:rank: secure supply added against public cost) and a
// project's valuation (GET /v1/projects/{id}: the NPV fan and the cash flows
// without and with the floor; POST /v1/projects:value: an offtake's effect).
// The pages hold no figure of their own: every one comes from the API.
(function () {
  "use strict";

  var colors = { without: "#6b7280", with: "#14532d", withBand: "#1f7a45", revenue: "#2563eb", grid: "#e5e9e7", ink: "#34413c" };

  function fmt(v) {
    if (v == null) return "–";
    return v.toLocaleString("en-US", { maximumFractionDigits: Math.abs(v) < 100 ? 2 : 0 });
  }

  function money(v) {
    if (Math.abs(v) >= 1e6) return (v / 1e6).toLocaleString("en-US", { maximumFractionDigits: 1 }) + " million";
    return fmt(v);
  }

  function pct(v) { return (100 * v).toFixed(1) + "%"; }

  function axis(label) {
    return { label: label, labelSize: 22, size: 80, stroke: colors.ink, grid: { stroke: colors.grid, width: 1 }, ticks: { stroke: colors.grid, width: 1 }, values: function (u, vals) { return vals.map(fmt); } };
  }

  function size(el) { return { width: Math.max(320, el.clientWidth), height: 320 }; }

  // mark records how many values a chart drew, so that a test (or a
  // person) can see it drew data.
  function mark(el, data) {
    var n = 0;
    for (var i = 1; i < data.length; i++) for (var j = 0; j < data[i].length; j++) if (data[i][j] != null) n++;
    el.setAttribute("data-points", String(n));
  }

  function headers() {
    var h = { "Content-Type": "application/json" };
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) h["X-CSRF-Token"] = meta.content;
    return h;
  }

  async function answer(resp) {
    var body = await resp.json();
    if (!resp.ok && resp.status !== 202) throw new Error(body && body.error ? body.error.message : "HTTP " + resp.status);
    return body;
  }

  // follow polls a queued run until it is done and returns its result.
  async function follow(run, status) {
    while (run.status === "queued" || run.status === "running") {
      status.textContent = "Queued as a job: " + run.status + ", " + Math.round(100 * run.progress) + "% done…";
      await new Promise(function (r) { setTimeout(r, 700); });
      run = await answer(await fetch("/v1/projects/runs/" + encodeURIComponent(run.id)));
    }
    if (run.status !== "done") throw new Error(run.error || run.status);
    return run.result;
  }

  function setState(el, state, text) {
    el.dataset.state = state;
    if (text != null) el.textContent = text;
  }

  // --- The pipeline page: secure supply added against public cost.

  async function rank(root) {
    var status = document.getElementById("rank-status");
    if (root.dataset.signed !== "yes") return;
    setState(status, "running", "Ranking the " + root.dataset.mineral + " projects over 500 price paths…");
    try {
      var req = { pipeline: root.dataset.pipeline, parties: root.dataset.parties.split(",").filter(Boolean), as_of: root.dataset.asOf, mineral: root.dataset.mineral, paths: 500 };
      var out = await answer(await fetch("/v1/projects:rank", { method: "POST", headers: headers(), body: JSON.stringify(req) }));
      if (out.status) out = await follow(out, status);
      drawSupply(document.getElementById("chart-projects-supply"), out);
      fillRank(out);
      var ranked = out.projects.filter(function (p) { return p.rank > 0; }).length;
      setState(status, "done", ranked + " of " + out.projects.length + " projects add secure supply; " + out.paths + " paths, seed " + out.seed + ", as of " + out.as_of + (out.illustrative ? " (illustrative pipeline)" : "") + ". Owners screened: " + out.projects.filter(function (p) { return p.owner_screening && p.owner_screening.status === "screened"; }).length + ", of which flagged: " + out.projects.filter(function (p) { return p.owner_screening && p.owner_screening.decision; }).length + ".");
    } catch (e) {
      setState(status, "error", "The ranking failed: " + e.message);
    }
  }

  function drawSupply(el, out) {
    var x = [0], y = [0];
    out.projects.forEach(function (p) {
      if (p.rank === 0) return;
      x.push(p.cumulative_cost / 1e6);
      y.push(y[y.length - 1] + p.secure_supply_added);
    });
    var unit = out.projects.length ? out.projects[0].unit : "";
    var data = [x, y];
    var u = new uPlot(Object.assign(size(el), {
      scales: { x: { time: false } },
      series: [{ label: "Cumulative expected public cost (million)", value: function (u, v) { return fmt(v); } },
        { label: "Cumulative secure supply (" + unit + "/year)", stroke: colors.with, width: 2.5, paths: uPlot.paths.stepped({ align: 1 }), value: function (u, v) { return fmt(v); } }],
      axes: [axis("Expected public cost, million"), axis(unit + " a year")]
    }), data, el);
    mark(el, data);
    return u;
  }

  function fillRank(out) {
    var table = document.getElementById("rank-table"), body = table.querySelector("tbody");
    body.textContent = "";
    out.projects.forEach(function (p) {
      var tr = document.createElement("tr");
      tr.dataset.project = p.project;
      [p.rank > 0 ? String(p.rank) : "–", p.name + " (" + p.project + ")", p.location + (p.party ? " " + p.party : ""),
        pct(p.p_hurdle_without_floor) + " → " + pct(p.p_hurdle_with_floor) + (p.investable_only_with_floor ? ", only with the floor" : ""),
        fmt(p.secure_supply_added), money(p.expected_public_cost), p.supply_per_million == null ? (p.secure_supply_added > 0 ? "no cost" : "–") : fmt(p.supply_per_million), p.owner_screening ? p.owner_screening.flag : "–"].forEach(function (v, i) {
        var td = document.createElement(i === 1 ? "th" : "td");
        td.textContent = v;
        if (i >= 3 && i <= 6) td.className = "n";
        if (i === 7 && p.owner_screening) {
          td.dataset.ownerStatus = p.owner_screening.status;
          td.dataset.decision = p.owner_screening.decision;
          if (p.owner_screening.decision) {
            var strong = document.createElement("strong");
            strong.textContent = v;
            td.textContent = "";
            td.appendChild(strong);
          }
        }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    table.hidden = false;
  }

  // --- A project's page: the NPV fan, the cash flows, an offtake.

  async function value(root) {
    var status = document.getElementById("value-status");
    if (root.dataset.signed !== "yes") return;
    setState(status, "running");
    try {
      var q = "?pipeline=" + encodeURIComponent(root.dataset.pipeline) + "&as_of=" + encodeURIComponent(root.dataset.asOf) + "&paths=2000";
      var v = await answer(await fetch("/v1/projects/" + encodeURIComponent(root.dataset.project) + q));
      root.valuation = v;
      drawFan(document.getElementById("chart-projects-fan"), v);
      drawCashFlows(document.getElementById("chart-projects-cashflows"), v);
      var fv = document.getElementById("floor-value");
      fv.textContent = "The floor of " + fmt(v.floor.price) + " " + v.floor.unit + (v.floor.illustrative ? " (illustrative)" : "") + " is worth " + money(v.floor_value) + " " + v.currency +
        " of expected NPV (standard error " + money(v.floor_value_std_err) + "): P(clears its " + pct(v.discount_rate) + " hurdle) " + pct(v.without_floor.p_hurdle) + " without it, " + pct(v.with_floor.p_hurdle) + " with it.";
      fv.hidden = false;
      setState(status, "done", "Valued over " + (v.prices ? v.prices.paths : v.market.paths) + " price paths; hurdle rate " + pct(v.hurdle.rate) + ": " + v.hurdle.basis + ".");
      if (v.floor && !document.getElementById("offtake-low").value) {
        document.getElementById("offtake-low").value = Math.round(v.floor.price);
        document.getElementById("offtake-high").value = Math.round(2 * v.floor.price);
      }
    } catch (e) {
      setState(status, "error", "The valuation failed: " + e.message);
    }
  }

  function drawFan(el, v) {
    var n = v.npv_fan.with_floor.p50.length, x = [];
    for (var t = 0; t < n; t++) x.push(t);
    var a = v.npv_fan.without_floor, b = v.npv_fan.with_floor;
    var m = function (xs) { return xs.map(function (z) { return z / 1e6; }); };
    var data = [x, m(a.p5), m(a.p50), m(a.p95), m(b.p5), m(b.p50), m(b.p95)];
    var line = function (label, color, width, dash) { return { label: label, stroke: color, width: width, dash: dash, points: { show: false }, value: function (u, val) { return fmt(val); } }; };
    new uPlot(Object.assign(size(el), {
      scales: { x: { time: false } },
      series: [{ label: "Year" }, line("Without floor P5", colors.without, 1, [4, 3]), line("Without floor P50", colors.without, 2), line("Without floor P95", colors.without, 1, [4, 3]),
        line("With floor P5", colors.withBand, 1, [4, 3]), line("With floor P50", colors.with, 2.5), line("With floor P95", colors.withBand, 1, [4, 3])],
      bands: [{ series: [6, 4], fill: "rgba(31, 122, 69, 0.15)" }, { series: [3, 1], fill: "rgba(107, 114, 128, 0.12)" }],
      axes: [axis("Year"), axis("Cumulative discounted cash flow, million " + v.currency)]
    }), data, el);
    mark(el, data);
  }

  function drawCashFlows(el, v) {
    var a = v.cash_flows.without_floor, b = v.cash_flows.with_floor;
    var data = [a.map(function (y) { return y.year; }), a.map(function (y) { return y.cash_flow / 1e6; }), b.map(function (y) { return y.cash_flow / 1e6; }), b.map(function (y) { return y.revenue / 1e6; })];
    new uPlot(Object.assign(size(el), {
      scales: { x: { time: false } },
      series: [{ label: "Year" }, { label: "Cash flow without floor", stroke: colors.without, width: 2, value: function (u, val) { return fmt(val); } },
        { label: "Cash flow with floor", stroke: colors.with, width: 2.5, value: function (u, val) { return fmt(val); } },
        { label: "Revenue with floor", stroke: colors.revenue, width: 1.5, dash: [4, 3], value: function (u, val) { return fmt(val); } }],
      axes: [axis("Year"), axis("Million " + v.currency)]
    }), data, el);
    mark(el, data);
  }

  function offtakeYAML(root) {
    var kind = document.getElementById("offtake-kind").value;
    var low = document.getElementById("offtake-low").value, high = document.getElementById("offtake-high").value;
    var price = kind === "fixed" ? "{kind: fixed, price: " + low + "}" : kind === "collar" ? "{kind: collar, floor: " + low + ", ceiling: " + high + "}" : "{kind: floor_linked, premium: " + (high || 0) + "}";
    return "version: 1\nid: portal-offtake\nproject: " + root.dataset.project + "\nvolume_per_year: " + document.getElementById("offtake-volume").value +
      "\ntenor_years: " + document.getElementById("offtake-tenor").value + "\nprice: " + price + "\ntake_or_pay: " + document.getElementById("offtake-top").value + "\n";
  }

  async function offtake(root, ev) {
    ev.preventDefault();
    var status = document.getElementById("offtake-status");
    setState(status, "running", "Valuing the contract over 2,000 paths with the floor…");
    try {
      var req = { pipeline: root.dataset.pipeline, project: root.dataset.project, as_of: root.dataset.asOf, paths: 2000, offtake_yaml: offtakeYAML(root) };
      var v = await answer(await fetch("/v1/projects:value", { method: "POST", headers: headers(), body: JSON.stringify(req) }));
      if (v.status) v = await follow(v, status);
      var o = v.offtake;
      setState(status, "done", "With the contract (" + o.kind + "): value to the producer " + money(o.value_to_producer) + " (standard error " + money(o.value_to_producer_std_err) + "), to the buyer " + money(o.value_to_buyer) +
        "; the producer's NPV P5 moves from " + money(o.without_contract.p5) + " to " + money(o.with_contract.p5) + ", P(hurdle) from " + pct(o.without_contract.p_hurdle) + " to " + pct(o.with_contract.p_hurdle) + ".");
    } catch (e) {
      setState(status, "error", "The contract could not be valued: " + e.message);
    }
  }

  function start() {
    if (typeof uPlot === "undefined") return;
    var r = document.getElementById("projects-rank");
    if (r) rank(r);
    var p = document.getElementById("project-analysis");
    if (p) {
      value(p);
      document.getElementById("offtake-form").addEventListener("submit", function (ev) { offtake(p, ev); });
      // Each price formula reads the two fields its own way: a collar its
      // floor and ceiling, a fixed price the first, a floor-linked price a
      // premium over the agreement's floor (0.1 is 10%) in the second.
      document.getElementById("offtake-kind").addEventListener("change", function (ev) {
        var v = p.valuation, low = document.getElementById("offtake-low"), high = document.getElementById("offtake-high");
        var f = v && v.floor ? Math.round(v.floor.price) : 0;
        if (ev.target.value === "floor_linked") { low.value = ""; low.disabled = true; high.value = "0.1"; }
        else { low.disabled = false; low.value = f || low.value; high.value = ev.target.value === "collar" ? 2 * f : ""; high.disabled = ev.target.value === "fixed"; }
      });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
