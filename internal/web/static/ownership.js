// ownership.js draws a facility's ownership graph on /ownership/{id} with
// Cytoscape.js (vendor/cytoscape-3.35.0.min.js), from the page's
// <script type="application/json" id="ownership-graph-data"> block: the
// facility and every holder that reaches it on the page's date, one edge per
// holder and subject with its share, the edges of the triggers' paths
// highlighted (class "trigger"; "possible" when only a possible trigger,
// counted at the upper bounds alone, uses them). The page's tables list the
// same paths hop by hop for readers without JavaScript.
//
// Styles are set through Cytoscape's API (no style attribute in the HTML,
// which the page's Content-Security-Policy would refuse). The drawn graph is
// window.mpOwnership.cy; the container carries data-nodes, data-edges and
// data-highlighted (and data-ms, the time from navigation to the drawn
// graph) once the layout has run, for the browser test.
(function () {
  "use strict";

  var palette = {
    non_party: "#fecaca", non_party_government: "#b91c1c",
    party: "#bfdbfe", party_government: "#1d4ed8",
    unattributed: "#e5e7eb", facility: "#bbf7d0"
  };
  var dark = { non_party_government: true, party_government: true };
  var trigger = "#c2410c", other = "#94a3b8", ink = "#1c2321";
  // A node's width and its text's; its height follows its name's lines.
  var nodeW = 148, nodeText = 138, colW = 162, rowGap = 56, minZoom = 0.7;

  function text(el, s) { el.textContent = s; }

  function draw() {
    var box = document.getElementById("ownership-graph-view");
    var src = document.getElementById("ownership-graph-data");
    if (!box || !src || typeof window.cytoscape !== "function") return;
    var g = JSON.parse(src.textContent);
    var detail = document.getElementById("graph-detail");

    var els = [];
    g.nodes.forEach(function (n) {
      var cls = n.kind === "facility" ? "facility" : (n.class || "unattributed");
      els.push({
        group: "nodes",
        data: { id: n.id, label: n.name + (n.country ? "\n" + n.country : ""), name: n.name, kind: n.kind, cls: cls, country: n.country || "",
          h: 16 + 15 * (Math.ceil(n.name.length * 6.6 / nodeText) + (n.country ? 1 : 0)) },
        classes: "c-" + cls + (dark[cls] ? " dark" : "") + (n.kind === "facility" ? " facility" : "")
      });
    });
    g.edges.forEach(function (e) {
      els.push({
        group: "edges",
        data: { id: e.id, source: e.source, target: e.target, label: e.share, types: e.types, statements: e.statements, sources: e.sources || [], kinds: e.kinds || [], indirect: !!e.indirect },
        classes: (e.trigger || "") + (e.indirect ? " indirect" : "")
      });
    });

    var cy = window.cytoscape({
      container: box,
      elements: els,
      userZoomingEnabled: false,
      minZoom: 0.2,
      maxZoom: 1,
      boxSelectionEnabled: false,
      autoungrabify: true,
      style: [
        { selector: "node", style: {
          "shape": "round-rectangle", "width": nodeW, "height": "data(h)",
          "background-color": function (n) { return palette[n.data("cls")] || palette.unattributed; },
          "border-width": 1, "border-color": "#64748b",
          "label": "data(label)", "text-wrap": "wrap", "text-max-width": nodeText,
          "text-valign": "center", "text-halign": "center",
          "font-size": 12, "font-family": "system-ui, sans-serif", "color": ink
        } },
        { selector: "node.dark", style: { "color": "#ffffff" } },
        { selector: "node.facility", style: { "border-width": 2, "border-color": "#15803d", "font-weight": "bold" } },
        { selector: "edge", style: {
          "width": 1.5, "line-color": other, "target-arrow-color": other, "target-arrow-shape": "triangle",
          "curve-style": "bezier", "label": "data(label)", "font-size": 12, "color": "#475569",
          "font-family": "system-ui, sans-serif",
          "text-background-color": "#ffffff", "text-background-opacity": 1, "text-background-padding": 2
        } },
        { selector: "edge.indirect", style: { "line-style": "dotted" } },
        { selector: "edge.trigger", style: {
          "width": 4, "line-color": trigger, "target-arrow-color": trigger, "color": "#9a3412", "font-weight": "bold", "z-index": 10
        } },
        { selector: "edge.possible", style: {
          "width": 3, "line-style": "dashed", "line-color": trigger, "target-arrow-color": trigger, "color": "#9a3412"
        } },
        { selector: ":selected", style: { "overlay-color": "#2563eb", "overlay-opacity": 0.15 } }
      ],
      layout: { name: "preset" }
    });

    // The facility at the bottom, each holder one rank above the nearest
    // subject it holds (its distance from the facility); within a rank,
    // holders are ordered by the mean position of what they hold (fewer
    // crossings), and a rank wider than the box wraps onto more rows. The
    // box grows with the rows so that the labels keep their size (zoom 1).
    var root = cy.getElementById(g.facility);
    var rank = {}, ranks = [];
    cy.elements().bfs({ roots: root, directed: false, visit: function (v, e, u, i, d) {
      rank[v.id()] = d;
      (ranks[d] = ranks[d] || []).push(v);
    } });
    var perRow = Math.max(1, Math.floor((box.clientWidth - 40) / (colW * minZoom)));
    var pos = {}, y = 0;
    ranks.forEach(function (nodes) {
      nodes.forEach(function (n) {
        var xs = n.outgoers("node").filter(function (m) { return pos[m.id()]; }).map(function (m) { return pos[m.id()].x; });
        n.scratch("_key", xs.length ? xs.reduce(function (a, b) { return a + b; }, 0) / xs.length : 0);
      });
      nodes.sort(function (a, b) { return a.scratch("_key") - b.scratch("_key") || (a.id() < b.id() ? -1 : 1); });
      for (var i = 0; i < nodes.length; i += perRow) {
        var row = nodes.slice(i, i + perRow);
        var h = Math.max.apply(null, row.map(function (n) { return n.data("h"); }));
        // A wrapped row is shifted half a column, so that its edges pass
        // between the nodes of the row below.
        var shift = (i / perRow) % 2 ? colW / 2 : 0;
        row.forEach(function (n, j) { pos[n.id()] = { x: (j - (row.length - 1) / 2) * colW + shift, y: y - h / 2 }; });
        y -= h + rowGap;
      }
    });
    box.style.height = Math.min(960, Math.max(200, -y - rowGap + 48)) + "px";
    cy.resize();
    cy.nodes().positions(function (n) { return pos[n.id()] || { x: 0, y: y }; });
    cy.fit(undefined, 20);
    if (cy.zoom() < 1) { // a wide graph, zoomed out: the box loses its empty height
      box.style.height = Math.ceil(cy.nodes().boundingBox().h * cy.zoom() + 40) + "px";
      cy.resize();
      cy.fit(undefined, 20);
    }

    cy.on("resize", function () { cy.fit(undefined, 20); }); // a narrower window keeps the whole graph in view

    cy.on("tap", "edge", function (ev) {
      var d = ev.target.data();
      var s = cy.getElementById(d.source).data("name") + " holds " + d.label + " of " + cy.getElementById(d.target).data("name") +
        " (" + d.types.join(", ") + (d.indirect ? ", indirect" : "") + "; " + d.statements.join(", ") + ")";
      if (d.kinds.length) s += "; on the path of the " + d.kinds.join(" and ") + " trigger" + (d.kinds.length > 1 ? "s" : "");
      if (d.sources.length) s += ". Source: " + d.sources.join("; ");
      text(detail, s);
    });
    cy.on("tap", "node", function (ev) {
      var d = ev.target.data();
      text(detail, d.name + " (" + d.kind + (d.country ? ", " + d.country : "") + (d.kind === "facility" ? "" : "; " + d.cls.replace(/_/g, " ")) + ")");
    });

    box.dataset.nodes = String(cy.nodes().length);
    box.dataset.edges = String(cy.edges().length);
    box.dataset.ms = String(Math.round(performance.now())); // since navigation start
    box.dataset.highlighted = cy.edges(".trigger").map(function (e) { return e.id(); }).join(" ");
    window.mpOwnership = { cy: cy, graph: g };
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
