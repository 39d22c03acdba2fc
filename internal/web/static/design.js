// The design studio (/design): the agreement's text in CodeMirror
// (vendor/mp-editor-*.js, window.MPEditor), checked by the server's
// validator as the user types (POST /v1/agreements:validate), levers that
// edit single values of the text, and on each change (debounced) the
// comparison with the served agreement (POST /v1/designs:compare, streamed
// as NDJSON: each part is drawn as its engine finishes), drawn as tables and
// a uPlot chart. ?id= opens a saved comparison (GET /v1/designs/{id}) with
// its text.
(function () {
  "use strict";

  var studio = document.getElementById("studio");
  var statusEl = document.getElementById("design-status");
  var checkEl = document.getElementById("check-status");
  var leversEl = document.getElementById("levers");
  var view = null;
  var seq = 0;             // the latest comparison asked for
  var editAt = 0;          // performance.now() of the latest edit
  var compareTimer = 0, leverTimer = 0, leverEdit = false;
  var DEBOUNCE_MS = 500;

  function setStatus(state, text) {
    statusEl.dataset.state = state;
    statusEl.textContent = text;
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) if (attrs[k] != null) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  }

  function currentText() {
    return view ? window.MPEditor.text(view) : document.getElementById("agreement-source").value;
  }

  // ---- A light scanner of the agreement's YAML block structure --------
  // It finds the levers' values: each node is a key (or a sequence item)
  // with its line, its value's place on that line, and its children. It
  // reads the block style the agreement files use; flow mappings on one
  // line ({kind: ad_valorem, ad_valorem: 0.5}) are searched by key.

  function scan(text) {
    var lines = text.split("\n");
    var root = {indent: -1, children: [], key: "", line: -1};
    var stack = [root];
    var skipAbove = -1; // inside a block scalar: skip lines indented more than this
    for (var i = 0; i < lines.length; i++) {
      var raw = lines[i];
      if (/^\s*(#.*)?$/.test(raw)) continue;
      var indent = raw.match(/^ */)[0].length;
      if (skipAbove >= 0) {
        if (indent > skipAbove) continue;
        skipAbove = -1;
      }
      var col = indent, rest = raw.slice(indent), item = null;
      while (stack.length > 1 && stack[stack.length - 1].indent >= indent) stack.pop();
      var m = /^-( +|$)/.exec(rest);
      if (m) {
        item = {indent: indent, item: true, children: [], line: i, col: col + m[0].length, content: rest.slice(m[0].length)};
        stack[stack.length - 1].children.push(item);
        stack.push(item);
        col += m[0].length;
        rest = rest.slice(m[0].length);
      }
      var k = /^([A-Za-z_][\w-]*):(?: +|$)(.*)$/.exec(rest);
      if (!k) continue;
      var valueRaw = k[2].replace(/\s+#.*$/, "");
      var valueStart = col + rest.length - k[2].length;
      var node = {indent: col, key: k[1], value: valueRaw.trim(), line: i, start: valueStart, end: valueStart + valueRaw.replace(/\s+$/, "").length, children: []};
      stack[stack.length - 1].children.push(node);
      stack.push(node);
      if (/^[|>][-+]?\d*$/.test(node.value)) skipAbove = col;
    }
    return root;
  }

  function child(n, key) {
    if (!n) return null;
    for (var i = 0; i < n.children.length; i++) if (n.children[i].key === key) return n.children[i];
    return null;
  }
  function items(n) { return n ? n.children.filter(function (c) { return c.item; }) : []; }
  function val(n, key) { var c = child(n, key); return c ? unquote(c.value) : ""; }
  function unquote(s) { return s.replace(/^["'](.*)["']$/, "$1"); }

  // flowField finds key's value inside a one-line flow mapping node (its
  // value, or an item's content) and returns {line, start, end, value}.
  function flowField(n, key, lineText) {
    var line = n.line, base = n.item ? n.col : n.start;
    var text = n.item ? n.content : n.value;
    var re = new RegExp("(?:^|[{,]\\s*)" + key + ":\\s*([^,}\\s]+)");
    var m = re.exec(text);
    if (!m) return null;
    var at = base + m.index + m[0].length - m[1].length;
    return {line: line, start: at, end: at + m[1].length, value: m[1]};
  }

  // field returns a value's place: a block child key, or a key inside a
  // one-line flow mapping.
  function field(n, key) {
    var c = child(n, key);
    if (c && c.value !== "") return {line: c.line, start: c.start, end: c.end, value: unquote(c.value)};
    return flowField(n, key);
  }

  var mainParam = {cost_curve: "percentile", market_average: "factor", stage_chain: "margin", negotiated: "price", band: "floor"};

  // levers lists the text's levers, each with a stable key, a group, a
  // label and its value's place.
  function levers(text) {
    var root = scan(text), out = [];
    items(child(root, "minerals")).forEach(function (m) {
      var id = val(m, "id");
      items(child(m, "stages")).forEach(function (s) {
        var stage = val(s, "stage"), price = child(s, "price");
        if (!price) return;
        var method = val(price, "method"), p = mainParam[method];
        var f = p && field(price, p);
        if (!f) return;
        out.push({key: "floor:" + id + "/" + stage, group: "floors", mineral: id, stage: stage, label: method.replace("_", " ") + " " + p, param: p, f: f});
      });
    });
    items(child(root, "parties")).forEach(function (party) {
      var pid = val(party, "id");
      var acc = field(party, "accession");
      if (acc) out.push({key: "accession:" + pid, group: "parties", party: pid, label: val(party, "name") || pid, param: "accession", f: acc, type: "date"});
      items(child(party, "instruments")).forEach(function (ins) {
        var type = val(ins, "type"), iid = val(ins, "id"), where = [val(ins, "mineral"), val(ins, "stage")].filter(Boolean).join(" ");
        if (type === "variable_duty") {
          var cap = child(ins, "cap"), f = cap && field(cap, "ad_valorem");
          if (f) out.push({key: "cap:" + pid + ":" + iid, group: "caps", party: pid, mineral: val(ins, "mineral"), label: pid + " " + (where || iid), param: "cap (ad valorem)", f: f});
        } else if (type === "tariff_rate_quota") {
          var vol = child(ins, "volume"), fv = vol && field(vol, "value");
          if (fv) out.push({key: "quota:" + pid + ":" + iid, group: "quotas", party: pid, label: pid + " " + (where || iid), param: "volume", f: fv});
        } else if (type === "phase_in") {
          items(child(ins, "steps")).forEach(function (step, i) {
            var fs = field(step, "share"), from = field(step, "from");
            if (fs) out.push({key: "phase:" + pid + ":" + iid + ":" + i, group: "phaseins", party: pid, label: pid + " " + (where || iid) + " from " + (from ? from.value : "?"), param: "share", f: fs});
          });
        }
      });
    });
    return out;
  }

  var groups = [
    {id: "floors", title: "Floors: each stage's method and its main parameter"},
    {id: "caps", title: "Variable-duty caps"},
    {id: "phaseins", title: "Phase-in shares"},
    {id: "quotas", title: "Quota volumes"},
    {id: "parties", title: "Accession"},
  ];

  var leverKeys = "";

  // renderLevers builds the form anew when the set of levers changed, and
  // otherwise refreshes the values of the fields not being edited.
  function renderLevers(text) {
    var ls = levers(text);
    var keys = ls.map(function (l) { return l.key; }).join("|");
    if (keys === leverKeys) {
      ls.forEach(function (l) {
        var input = leversEl.querySelector('[data-lever="' + cssEscape(l.key) + '"]');
        if (input && input !== document.activeElement) input.value = l.f.value;
      });
      return;
    }
    leverKeys = keys;
    leversEl.textContent = "";
    groups.forEach(function (g, gi) {
      var mine = ls.filter(function (l) { return l.group === g.id; });
      if (!mine.length) return;
      var det = el("details", {id: "levers-" + g.id});
      if (gi === 0) det.open = true;
      det.appendChild(el("summary", null, g.title + " (" + mine.length + ")"));
      var table = el("table", {"class": "levers-table"});
      var tb = el("tbody");
      mine.forEach(function (l, i) {
        var id = "lever-" + g.id + "-" + i;
        var tr = el("tr");
        var th = el("th", {scope: "row"});
        th.appendChild(el("label", {"for": id}, g.id === "floors" ? l.mineral + " " + l.stage : l.label));
        tr.appendChild(th);
        tr.appendChild(el("td", {"class": "muted small"}, g.id === "floors" ? l.label : l.param));
        var td = el("td");
        var input = el("input", {id: id, type: l.type === "date" ? "date" : "number", step: "any", value: l.f.value,
          "data-lever": l.key, "data-mineral": l.mineral || null, "data-stage": l.stage || null, "data-party": l.party || null});
        td.appendChild(input);
        tr.appendChild(td);
        tb.appendChild(tr);
      });
      table.appendChild(tb);
      det.appendChild(table);
      leversEl.appendChild(det);
    });
  }

  function cssEscape(s) { return window.CSS && CSS.escape ? CSS.escape(s) : s.replace(/["\\]/g, "\\$&"); }

  // A lever changed: rescan the text, find its value and replace it.
  leversEl.addEventListener("change", function (ev) {
    var input = ev.target, key = input.dataset.lever;
    if (!key || input.value === "") return;
    var text = currentText();
    var l = levers(text).filter(function (x) { return x.key === key; })[0];
    if (!l) return;
    var lines = text.split("\n"), off = 0;
    for (var i = 0; i < l.f.line; i++) off += lines[i].length + 1;
    var from = off + l.f.start, to = off + l.f.end;
    leverEdit = true;
    if (view) {
      view.dispatch({changes: {from: from, to: to, insert: input.value}, selection: {anchor: from, head: from + input.value.length}, scrollIntoView: true});
    } else {
      var ta = document.getElementById("agreement-source");
      ta.value = text.slice(0, from) + input.value + text.slice(to);
      changed(ta.value);
    }
  });

  // ---- Checking and comparing -----------------------------------------

  // check validates text on the server, once per text: the editor's linter
  // and the comparison share the answer.
  var checked = {text: null, answer: null};
  function check(text) {
    if (checked.text === text) return checked.answer;
    checked.text = text;
    checked.answer = validate(text);
    checked.answer.catch(function () { checked.text = null; });
    return checked.answer;
  }

  function validate(text) {
    return fetch("/v1/agreements:validate", {method: "POST", headers: postHeaders({"Content-Type": "application/yaml"}), body: text})
      .then(function (r) { return r.json(); })
      .then(function (b) {
        var ps = b.problems || [];
        var errors = ps.filter(function (p) { return p.severity === "error"; }).length;
        checkEl.dataset.state = errors ? "invalid" : "valid";
        checkEl.dataset.problems = String(ps.length);
        checkEl.textContent = errors ? errors + " error" + (errors > 1 ? "s" : "") + " in the text (marked at their lines); the comparison waits for a valid text." :
          "The text is valid" + (ps.length ? " (" + ps.length + " warning" + (ps.length > 1 ? "s" : "") + ")" : "") + ".";
        return ps;
      });
  }

  function changed(text) {
    editAt = performance.now();
    clearTimeout(leverTimer);
    leverTimer = setTimeout(function () { renderLevers(text); }, 150);
    clearTimeout(compareTimer);
    // A lever is one deliberate change: compared at once. Typing waits for
    // a pause.
    compareTimer = setTimeout(function () { compare(text); }, leverEdit ? 0 : DEBOUNCE_MS);
    leverEdit = false;
  }

  function compare(text) {
    var my = ++seq, fromEdit = editAt > 0, t0 = editAt || performance.now(), t1 = 0;
    setStatus("running", "Comparing with the served agreement…");
    // A text the validator refuses is not sent for comparison: its errors
    // are marked in the editor, and the status says where the first is.
    check(text).then(function (ps) {
      if (my !== seq) return;
      var errs = ps.filter(function (p) { return p.severity === "error"; });
      if (errs.length) {
        setStatus("invalid", "The text is not a valid agreement (" + errs.length + " error" + (errs.length > 1 ? "s" : "") + "; the first at line " + errs[0].line + ", column " + errs[0].column + ": " + errs[0].message + "). The comparison waits for a valid text.");
        return;
      }
      t1 = performance.now();
      request(text, my, t0, t1, fromEdit);
    }, function (err) {
      if (my === seq) setStatus("error", "The check failed: " + err);
    });
  }

  // request asks for the comparison as a stream of JSON lines, one a part
  // (changes, floors, scope, duty, each scenario, work) as the server's
  // engines finish, then "done" with the id, or "error"; each part is drawn
  // as it arrives.
  function request(text, my, t0, t1, fromEdit) {
    var t2 = 0, parts = [], acc = {comparison: {}, scenarioRows: []}, ended = false;
    statusEl.dataset.parts = "";
    function onLine(line) {
      if (my !== seq || ended || !line.trim()) return;
      var p = JSON.parse(line);
      if (!t2) t2 = performance.now();
      parts.push(p.part);
      statusEl.dataset.parts = parts.join(" ");
      if (p.part === "error") {
        ended = true;
        var e = p.error || {};
        setStatus(e.code === "invalid" ? "invalid" : "error", (e.code === "invalid" ? "The text is not a valid agreement: " : "The comparison failed: ") + (e.message || "unknown error"));
        return;
      }
      if (p.part === "done") {
        ended = true;
        var ms = Math.round(performance.now() - t0);
        statusEl.dataset.ms = String(ms);
        // Where the time went, for the browser test's report: from the edit
        // to the request (the debounce), from the request to the first part,
        // from it to the last.
        statusEl.dataset.timing = Math.round(t1 - t0) + " " + Math.round(t2 - t1) + " " + Math.round(performance.now() - t2);
        statusEl.dataset.id = p.id;
        showLink(p.id);
        summary({comparison: acc.comparison, elapsed_ms: p.elapsed_ms}, ms, fromEdit);
        history.replaceState(null, "", "/design?id=" + p.id);
        return;
      }
      addPart(acc, p);
      var n = {changes: "the change", floors: "the floors", scope: "the supply risk", duty: "the duty", scenario: "a scenario", work: "the work"}[p.part] || p.part;
      setStatus("running", "Comparing with the served agreement… " + n + " drawn (" + parts.length + " part" + (parts.length > 1 ? "s" : "") + ").");
    }
    fetch("/v1/designs:compare", {method: "POST", headers: postHeaders({"Content-Type": "application/json", "Accept": "application/x-ndjson"}), body: JSON.stringify({agreement: text})})
      .then(function (r) {
        if (my !== seq) return;
        if (r.status === 401 || r.status === 403) {
          return r.json().then(function (b) { onLine(JSON.stringify({part: "error", error: {message: ((b && b.error && b.error.message) || "HTTP " + r.status) + " (comparing designs needs an analyst's sign-in: /signin)"}})); });
        }
        if ((r.headers.get("Content-Type") || "").indexOf("application/x-ndjson") !== 0) {
          // Refused before the stream started: the one error shape.
          return r.json().then(function (b) { onLine(JSON.stringify({part: "error", error: (b && b.error) || {message: "HTTP " + r.status}})); });
        }
        if (!r.body || !r.body.getReader) return r.text().then(function (t) { t.split("\n").forEach(onLine); });
        var reader = r.body.getReader(), dec = new TextDecoder(), buf = "";
        function pump() {
          return reader.read().then(function (x) {
            if (x.done) { if (buf) onLine(buf); return; }
            buf += dec.decode(x.value, {stream: true});
            var i;
            while ((i = buf.indexOf("\n")) >= 0) {
              onLine(buf.slice(0, i));
              buf = buf.slice(i + 1);
            }
            return pump();
          });
        }
        return pump();
      })
      .then(function () {
        if (my === seq && !ended) setStatus("error", "The comparison failed: the answer ended before its last line.");
      })
      .catch(function (err) {
        if (my === seq) setStatus("error", "The comparison failed: " + err);
      });
  }

  // postHeaders adds the page's CSRF token, when it has one (a signed-in
  // session), to a POST's headers; the session cookie goes with the request.
  function postHeaders(h) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) h["X-CSRF-Token"] = meta.content;
    return h;
  }

  // addPart puts a streamed part in the comparison being drawn, and draws
  // its section.
  function addPart(acc, p) {
    var c = acc.comparison;
    switch (p.part) {
      case "changes":
        c.old = p.old; c.new = p.new; c.changes = p.changes; c.touched = p.touched; c.range = p.range;
        document.getElementById("design-results").hidden = false;
        showChanges(c);
        break;
      case "floors":
        c.floors = p.floors;
        showFloors(c);
        break;
      case "duty":
        c.duty = p.duty;
        showDuty(c);
        break;
      case "scope":
        c.scope = p.scope; c.scope_error = p.scope_error;
        if (c.range) showScope(c);
        break;
      case "scenario":
        (c.scenarios = c.scenarios || [])[p.index] = p.scenario;
        acc.scenarioRows[p.index] = p.rows;
        showScenarios([].concat.apply([], acc.scenarioRows.filter(Boolean)));
        break;
      case "work":
        c.work = p.work;
        if (c.range) showWork(c);
        break;
    }
  }

  function summary(d, ms, fromEdit) {
    var c = d.comparison, changedFloors = (c.floors || []).filter(function (f) { return f.changed; }).length;
    var text = c.changes.length === 0 ? "No change from the served agreement yet: edit the text or a lever." :
      c.changes.length + " change" + (c.changes.length > 1 ? "s" : "") + ": " + changedFloors + " of " + (c.floors || []).length + " floor revisions and " +
      c.duty.changed.toLocaleString("en") + " of " + c.duty.declarations.toLocaleString("en") + " declarations' duty changed.";
    text += " Computed in " + d.elapsed_ms + " ms on the server" + (ms != null ? ", " + ms + " ms from the " + (fromEdit ? "edit" : "request") : "") + ".";
    setStatus("done", text);
  }

  // ---- Drawing the comparison -----------------------------------------

  function fmt(x, places) {
    if (x === "" || x == null) return "";
    var n = Number(x);
    if (!isFinite(n)) return x;
    if (places == null) places = Math.abs(n) < 1 && n !== 0 ? 3 : 2;
    return n.toLocaleString("en", {minimumFractionDigits: places, maximumFractionDigits: places});
  }

  function row(cells, attrs) {
    var tr = el("tr", attrs);
    cells.forEach(function (c) {
      var td = el(c.th ? "th" : "td", c.n ? {"class": "n"} : null, c.text);
      tr.appendChild(td);
    });
    return tr;
  }

  function fill(id, rows) {
    var tb = document.querySelector("#" + id + " tbody");
    tb.textContent = "";
    rows.forEach(function (r) { tb.appendChild(r); });
  }

  // show draws a whole comparison (a saved one).
  function show(d) {
    var c = d.comparison;
    document.getElementById("design-results").hidden = false;
    showLink(d.id);
    showChanges(c);
    showFloors(c);
    showDuty(c);
    var sc = (d.tables || []).filter(function (t) { return t.name === "scenarios"; })[0];
    showScenarios(sc ? sc.rows : []);
    showScope(c);
    showWork(c);
  }

  function showLink(id) {
    var link = document.getElementById("share");
    link.href = "/design?id=" + id;
    link.textContent = location.origin + "/design?id=" + id;
    document.getElementById("design-link").hidden = false;
  }

  function showChanges(c) {
    var diff = document.getElementById("diff");
    diff.textContent = "";
    if (!c.changes.length) diff.appendChild(el("li", null, "No difference from the served agreement."));
    c.changes.forEach(function (x) {
      var li = el("li", {"data-path": x.path});
      li.appendChild(el("code", null, x.path));
      li.appendChild(document.createTextNode(" " + x.kind + ": " + brief(x.old) + " → " + brief(x.new)));
      diff.appendChild(li);
    });
  }

  function showFloors(c) {
    // Floors: every changed revision, and each stage's first revision.
    // Stages some of whose revisions cannot be computed under either
    // version (their data end before a revision of the range) are named
    // below the table, not listed in it.
    var seen = {}, failed = [];
    var floorRows = c.floors.filter(function (f) {
      if (!f.changed && f.old_error && f.new_error) {
        failed.push(f);
        return false;
      }
      var k = f.mineral + "/" + f.stage, first = !seen[k];
      seen[k] = true;
      return f.changed || first;
    }).map(function (f) {
      return row([{th: true, text: f.mineral}, {text: f.stage}, {text: f.valid_from}, {n: true, text: f.old_error ? "error" : fmt(f.old)},
        {n: true, text: f.new_error ? "error: " + f.new_error : fmt(f.new)}, {n: true, text: f.changed ? fmt(f.delta) : ""},
        {text: f.currency + "/" + f.unit}, {text: (f.why || []).join("; ")}],
        {"data-mineral": f.mineral, "data-stage": f.stage, "data-from": f.valid_from, "data-changed": String(f.changed), "class": f.changed ? "changed" : null});
    });
    fill("floors", floorRows);
    var nf = document.getElementById("floors-failed");
    nf.hidden = !failed.length;
    nf.textContent = failed.length ? "Revisions in the range that cannot be computed under either version: " + failed.map(function (f) { return f.mineral + " " + f.stage; }).join(", ") +
      " (first reason: " + failed[0].old_error + ")." : "";
    drawFloor(c);
  }

  function showDuty(c) {
    var duty = (c.duty.by_party_mineral || []).filter(function (x) { return x.changed; });
    fill("duty", duty.map(function (x) {
      return row([{th: true, text: x.party}, {text: x.mineral}, {n: true, text: fmt(x.old, 2)}, {n: true, text: fmt(x.new, 2)}, {n: true, text: x.changed ? fmt(x.delta, 2) : ""}, {text: x.currency}],
        {"data-party": x.party, "data-mineral": x.mineral, "data-changed": String(x.changed), "class": x.changed ? "changed" : null});
    }));
    document.getElementById("duty-summary").textContent = c.duty.changed.toLocaleString("en") + " of " + c.duty.declarations.toLocaleString("en") +
      " declarations' duty changed (" + c.duty.source + "); the table lists the " + duty.length + " of " + (c.duty.by_party_mineral || []).length + " party and mineral totals that changed.";
  }

  // showScenarios draws the rows of the scenarios table (design's
  // Comparison.Tables, or each scenario part's rows).
  function showScenarios(rows) {
    fill("scenarios", rows.map(function (r) {
      // scenario, mineral, stage, measure, old, new, delta, changed, why
      var changed = r[7] === "true";
      return row([{th: true, text: r[0]}, {text: r[1] + (r[2] ? " " + r[2] : "")}, {text: r[3].replace(/_/g, " ")}, {n: true, text: fmt(r[4], places(r[3]))}, {n: true, text: fmt(r[5], places(r[3]))}, {n: true, text: changed ? fmt(r[6], places(r[3])) : ""}],
        {"data-scenario": r[0], "data-mineral": r[1], "data-measure": r[3], "data-changed": String(changed), "class": changed ? "changed" : null});
    }));
  }

  function showScope(c) {
    // The scope indicators: each mineral's supply risk on the zone basis
    // (only the parties move it); the rows that changed.
    var scope = (c.scope || []).filter(function (x) { return x.changed; });
    document.getElementById("scope").hidden = !scope.length;
    document.getElementById("scope-summary").textContent = c.scope_error ? "Not computed: " + c.scope_error :
      scope.length + " of " + (c.scope || []).length + " minerals' supply risk on the zone basis changed (EU and USGS indicators, the zone as in force on " + c.range[1] + "; only the parties move them).";
    fill("scope", scope.map(function (x) {
      return row([{th: true, text: x.mineral}, {text: x.stage || ""}, {n: true, text: fmt(x.old_eu_supply_risk, 3)}, {n: true, text: fmt(x.new_eu_supply_risk, 3)},
        {n: true, text: fmt(x.old_usgs_supply_risk, 3)}, {n: true, text: fmt(x.new_usgs_supply_risk, 3)}], {"data-mineral": x.mineral, "data-changed": "true", "class": "changed"});
    }));
  }

  function showWork(c) {
    var w = c.work;
    document.getElementById("work").textContent = w.cached ? "The new version was found whole under its hash: nothing recomputed." :
      "Recomputed for the new version: floors of " + ((w.floors_recomputed || []).join(", ") || "no mineral") + "; " + w.declarations_reassessed.toLocaleString("en") +
      " declarations re-assessed; scenarios " + ((w.scenarios_rerun || []).join(", ") || "none") + " rerun. Floors from " + c.range[0] + " to " + c.range[1] + ".";
  }

  function places(measure) { return measure === "projects_committed" ? 0 : measure === "buffer_exhaustion_probability" ? 3 : 2; }

  function brief(v) {
    if (v == null) return "—";
    var s = typeof v === "string" ? v : JSON.stringify(v);
    return s.length > 80 ? s.slice(0, 77) + "…" : s;
  }

  var chart = null;

  // drawFloor charts the first changed floor's revisions, old and new.
  function drawFloor(c) {
    var fig = document.getElementById("fig-floor");
    var first = c.floors.filter(function (f) { return f.changed && f.old && f.new; })[0];
    if (chart) { chart.destroy(); chart = null; }
    if (!first || !window.uPlot) { fig.hidden = true; return; }
    var rs = c.floors.filter(function (f) { return f.mineral === first.mineral && f.stage === first.stage && f.old && f.new; });
    var xs = rs.map(function (f) { return Date.parse(f.valid_from + "T00:00:00Z") / 1000; });
    fig.hidden = false;
    document.getElementById("cap-floor").textContent = "The floor of " + first.mineral + " (" + first.stage + ") at each revision, " + first.currency + "/" + first.unit + ": the served agreement and the edited one.";
    var box = document.getElementById("chart-floor");
    chart = new uPlot({
      width: Math.max(320, box.clientWidth - 4), height: 280,
      series: [{}, {label: "served", stroke: "#64748b", width: 2, paths: uPlot.paths.stepped({align: 1})},
        {label: "edited", stroke: "#0f766e", width: 2, paths: uPlot.paths.stepped({align: 1})}],
      axes: [{}, {size: 70}],
    }, [xs, rs.map(function (f) { return Number(f.old); }), rs.map(function (f) { return Number(f.new); })], box);
  }

  // ---- Start ------------------------------------------------------------

  function start(text) {
    var host = document.getElementById("editor");
    var ta = document.getElementById("agreement-source");
    ta.value = text;
    renderLevers(text);
    if (!window.MPEditor) {
      ta.addEventListener("input", function () { changed(ta.value); });
      return;
    }
    fetch("/v1/agreement/schema").then(function (r) { return r.json(); }).catch(function () { return null; }).then(function (schema) {
      host.hidden = false;
      ta.hidden = true;
      view = window.MPEditor.create(host, text, schema, check, changed, studio.dataset.nonce);
      studio.dataset.ready = "true";
    });
  }

  var id = studio.dataset.id;
  if (id) {
    setStatus("running", "Opening the saved comparison…");
    fetch("/v1/designs/" + id).then(function (r) { return r.json().then(function (b) { return {ok: r.ok, body: b}; }); }).then(function (res) {
      if (!res.ok) {
        setStatus("error", (res.body.error && res.body.error.message) || "no such comparison");
        start(document.getElementById("agreement-source").value);
        return;
      }
      // A comparison whose new version was named by the served agreement's
      // hash carries no text: the page's is the served one.
      start(res.body.agreement || document.getElementById("agreement-source").value);
      show(res.body);
      statusEl.dataset.id = res.body.id;
      summary(res.body, null);
    });
  } else {
    start(document.getElementById("agreement-source").value);
    setStatus("running", "Comparing the served agreement with itself (the first comparison after a start generates the declarations)…");
    compare(document.getElementById("agreement-source").value);
  }
})();
