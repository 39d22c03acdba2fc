// members.js recomputes the membership what-if as its fields change: it asks
// GET /v1/members/evaluate for the zone with the countries added and removed
// and rewrites the before/after table, and, when the date changes, GET
// /v1/members/candidates for the ranking of that date's zone, without
// reloading the page. Without the API (a portal served alone) or without
// JavaScript, the form's GET does the same on submit.
(function () {
  "use strict";

  var form = document.getElementById("whatif-form");
  var table = document.getElementById("whatif-table");
  if (!form || !table) return;
  var errorBox = document.getElementById("whatif-error");
  var seq = 0, timer = null;

  function pct(x) { return x == null ? "" : (x * 100).toFixed(1) + " %"; }
  function sr(x) { return x == null ? "" : x.toFixed(2); }
  function over(x) { return x != null && x >= 1; }

  function cell(row, col, text, bold) {
    var td = row.querySelector('td[data-col="' + col + '"]');
    if (!td) return;
    td.textContent = "";
    if (bold) {
      var s = document.createElement("strong");
      s.textContent = text;
      td.appendChild(s);
    } else {
      td.textContent = text;
    }
  }

  function show(w) {
    var t = document.querySelector("#whatif-zone time");
    if (t) { t.textContent = w.as_of; t.setAttribute("datetime", w.as_of); }
    document.getElementById("whatif-before").textContent = w.countries_before.length;
    document.getElementById("whatif-after").textContent = w.countries_after.length;
    w.minerals.forEach(function (m) {
      var row = table.querySelector('tr[data-mineral="' + m.mineral + '"]');
      if (!row) return;
      var b = m.before, a = m.after;
      cell(row, "prod-before", pct(b.zone_production_share));
      cell(row, "prod-after", pct(a.zone_production_share));
      cell(row, "sec-before", pct(b.us_supply_secured_share));
      cell(row, "sec-after", pct(a.us_supply_secured_share));
      cell(row, "sr-before", sr(b.zone_eu_supply_risk), over(b.zone_eu_supply_risk));
      cell(row, "sr-after", sr(a.zone_eu_supply_risk), over(a.zone_eu_supply_risk));
      var changed = pct(b.zone_production_share) !== pct(a.zone_production_share) ||
        pct(b.us_supply_secured_share) !== pct(a.us_supply_secured_share) ||
        sr(b.zone_eu_supply_risk) !== sr(a.zone_eu_supply_risk);
      row.classList.toggle("changed", changed);
    });
    table.setAttribute("data-state", "ready");
  }

  function fail(msg, field) {
    errorBox.textContent = msg;
    errorBox.hidden = false;
    ["as_of", "add", "remove"].forEach(function (f) {
      var el = document.getElementById(f);
      if (f === field) { el.setAttribute("aria-invalid", "true"); el.setAttribute("aria-describedby", "whatif-error"); }
      else { el.removeAttribute("aria-invalid"); }
    });
    table.setAttribute("data-state", "error");
  }

  var shownAsOf = (document.querySelector("#whatif-zone time") || {}).textContent;

  function num(x, places) { return x.toFixed(places); }

  // rank rewrites the candidates table for the zone of the date asOf.
  function rank(asOf) {
    var body = document.querySelector("#candidates-table tbody");
    if (!body) return;
    var n = body.querySelectorAll("tr").length;
    body.parentNode.setAttribute("data-state", "loading");
    fetch("/v1/members/candidates?top=" + n + "&as_of=" + encodeURIComponent(asOf), { headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (cs) {
        if (cs.as_of !== shownAsOf) return; // the date moved on
        body.textContent = "";
        cs.candidates.forEach(function (c, i) {
          var tr = document.createElement("tr");
          tr.setAttribute("data-country", c.country);
          var cells = [
            ["td", String(i + 1), "n"],
            ["th", c.name + " ", ""],
            ["td", num(c.score, 2), "n"],
            ["td", num(c.risk_removed, 2), "n"], ["td", num(c.production, 2), "n"],
            ["td", num(c.reserves, 2), "n"], ["td", num(c.refining, 2), "n"],
            ["td", c.wgi_scaled == null ? "—" : num(c.wgi_scaled, 1), "n"],
            ["td", c.ownership && c.ownership.facilities > 0 ? c.ownership.non_party + "/" + c.ownership.facilities : "—", "n"],
            ["td", c.frameworks.length ? c.frameworks.map(function (f) {
              return f.instrument + " (" + f.status + (f.signed_on ? " " + f.signed_on : "") + ")";
            }).join("") : "—", ""],
            ["td", "", "", c.criteria]
          ];
          cells.forEach(function (c2) {
            var el = document.createElement(c2[0]);
            el.textContent = c2[1];
            if (c2[2]) el.className = c2[2];
            if (c2[3]) { // the accession criteria, as the page renders them
              el.setAttribute("data-col", "criteria");
              if (!c2[3].length) el.textContent = "—";
              c2[3].forEach(function (k) {
                var sp = document.createElement("span");
                sp.className = "criterion";
                sp.setAttribute("data-criterion", k.id);
                sp.setAttribute("data-status", k.status);
                sp.title = k.criterion + ": " + (k.value == null ? "not recorded" : k.value) + " (" + k.detail + "); " + k.basis;
                sp.textContent = k.id + ": " + k.status.replace(/_/g, " ");
                el.appendChild(sp);
                el.appendChild(document.createTextNode(" "));
              });
            }
            if (c2[0] === "th") {
              el.setAttribute("scope", "row");
              var code = document.createElement("span");
              code.className = "muted";
              code.textContent = c.country;
              el.appendChild(code);
            }
            tr.appendChild(el);
          });
          body.appendChild(tr);
        });
        body.parentNode.setAttribute("data-state", "ready");
      })
      .catch(function () { body.parentNode.setAttribute("data-state", "offline"); });
  }

  function recompute() {
    var q = new URLSearchParams();
    ["as_of", "add", "remove"].forEach(function (f) {
      var v = document.getElementById(f).value.trim();
      if (v) q.set(f, f === "as_of" ? v : v.replace(/\s+/g, ","));
    });
    var mine = ++seq;
    table.setAttribute("data-state", "loading");
    fetch("/v1/members/evaluate?" + q.toString(), { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
      .then(function (res) {
        if (mine !== seq) return; // a later change is on its way
        if (!res.ok) {
          var e = res.body.error || res.body;
          var field = (e.field || "").replace(/\[\d+\]$/, "");
          fail(e.message || "the what-if failed", field);
          return;
        }
        errorBox.hidden = true;
        errorBox.textContent = "";
        ["as_of", "add", "remove"].forEach(function (f) { document.getElementById(f).removeAttribute("aria-invalid"); });
        show(res.body);
        if (res.body.as_of !== shownAsOf) {
          shownAsOf = res.body.as_of;
          rank(shownAsOf);
        }
        history.replaceState(null, "", "/members?" + q.toString());
      })
      .catch(function () { if (mine === seq) table.setAttribute("data-state", "offline"); });
  }

  ["add", "remove", "as_of"].forEach(function (f) {
    document.getElementById(f).addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(recompute, 250);
    });
  });
})();
