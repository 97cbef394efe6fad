// Renders one ECharts option or Plotly figure posted by the Cairn page that embeds this frame.
// The frame has an opaque origin and a CSP that admits only Cairn's scripts; it reports only
// its height (or an error text) back to the parent.
"use strict";
(function () {
  var LIBRARIES = { echarts: "/sandbox/lib/echarts.min.js", plotly: "/sandbox/lib/plotly.min.js" };
  var DEFAULT_HEIGHT = 400;
  // Looked up when content arrives, so the frame works wherever the page places this script.
  var root = null;
  var loading = {};
  var parentOrigin = null;
  var current = null;

  function tell(message) {
    if (parentOrigin) window.parent.postMessage(message, parentOrigin);
  }

  function load(kind) {
    if (!loading[kind]) {
      loading[kind] = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = LIBRARIES[kind];
        script.onload = function () { resolve(); };
        script.onerror = function () { reject(new Error("could not load " + kind)); };
        document.head.appendChild(script);
      });
    }
    return loading[kind];
  }

  function reportHeight() {
    tell({ type: "size", height: Math.ceil(document.documentElement.getBoundingClientRect().height) });
  }

  function dispose() {
    if (!current) return;
    try { current.dispose(); } catch (e) { /* a half-built chart */ }
    current = null;
    root.innerHTML = "";
  }

  function renderECharts(option, theme) {
    root.style.height = DEFAULT_HEIGHT + "px";
    var chart = window.echarts.init(root, theme === "dark" ? "dark" : undefined, { renderer: "canvas" });
    current = { dispose: function () { chart.dispose(); }, resize: function () { chart.resize(); } };
    chart.setOption(Object.assign({ backgroundColor: "transparent" }, option));
  }

  function renderPlotly(figure, theme) {
    var Plotly = window.Plotly;
    var layout = Object.assign({ autosize: true }, figure.layout || {});
    if (theme === "dark" && !(figure.layout && figure.layout.template)) {
      layout.paper_bgcolor = layout.paper_bgcolor || "rgba(0,0,0,0)";
      layout.plot_bgcolor = layout.plot_bgcolor || "rgba(0,0,0,0)";
      layout.font = Object.assign({ color: "#ddd" }, layout.font || {});
    }
    if (!layout.height) root.style.height = DEFAULT_HEIGHT + "px";
    current = { dispose: function () { Plotly.purge(root); }, resize: function () { Plotly.Plots.resize(root); } };
    // Links in a figure could only navigate this frame, which the embedding page's CSP forbids.
    return Plotly.newPlot(root, figure.data || [], layout, Object.assign({ responsive: true, displaylogo: false }, figure.config || {}));
  }

  function render(message) {
    var kind = message.kind;
    if (kind !== "echarts" && kind !== "plotly") return;
    document.documentElement.style.colorScheme = message.theme === "dark" ? "dark" : "light";
    root = root || document.getElementById("chart");
    load(kind).then(function () {
      dispose();
      return kind === "echarts" ? renderECharts(message.json, message.theme) : renderPlotly(message.json, message.theme);
    }).then(reportHeight, function (e) {
      tell({ type: "error", message: (kind === "echarts" ? "ECharts could not draw this option: " : "Plotly could not draw this figure: ") + String(e && e.message || e) });
    });
  }

  window.addEventListener("message", function (event) {
    if (event.source !== window.parent || !event.data || event.data.type !== "render") return;
    parentOrigin = event.origin;
    render(event.data);
  });
  window.addEventListener("resize", function () {
    if (current) current.resize();
  });
  new ResizeObserver(reportHeight).observe(document.documentElement);
  window.parent.postMessage({ type: "ready" }, "*");
})();
