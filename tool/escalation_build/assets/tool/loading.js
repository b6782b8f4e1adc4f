// The decision tool's safety net, a classic script on purpose: if the page's own script
// (page.js, a module) never starts, because it was blocked, failed to load or to run, or
// the browser has no modules, the page would say "getting ready" for ever. By the time
// the page has loaded, page.js has either started (it marks #tool data-tool-script) or
// never will: then the page says so and points to the guidance.
(function () {
  function check() {
    var tool = document.getElementById("tool");
    if (!tool || tool.getAttribute("data-tool-script") ||
        tool.getAttribute("data-tool-status") !== "loading") return;
    tool.setAttribute("data-tool-status", "failed");
    document.getElementById("tool-status").textContent =
      "The calculator could not be loaded in this browser, so dates are not worked out " +
      "here. The guidance on this site still applies: the procedure and its timescales are in " +
      "its chapters.";
  }
  window.addEventListener("load", function () { setTimeout(check, 0); });
})();
