// Shows one HTML file posted by the Cairn page that embeds this frame, in a nested srcdoc frame
// that inherits this document's opaque origin and CSP (inline scripts run; nothing loads from
// another host; nothing navigates).
"use strict";
(function () {
  window.addEventListener("message", function (event) {
    if (event.source !== window.parent || !event.data || event.data.type !== "render" || event.data.kind !== "html") return;
    if (typeof event.data.html !== "string") return;
    document.body.textContent = "";
    var frame = document.createElement("iframe");
    frame.setAttribute("sandbox", "allow-scripts");
    frame.setAttribute("title", "HTML file");
    frame.style.cssText = "border:0;width:100%;height:100vh;display:block;background:#fff";
    frame.srcdoc = event.data.html;
    document.body.appendChild(frame);
  });
  window.parent.postMessage({ type: "ready" }, "*");
})();
