/* Accessibility repairs for Swagger UI on the API documentation page (templates/api/docs.html).
   Swagger UI re-renders often, so the repairs run again after every change of the page. */
"use strict";

(function () {
  function repair() {
    // Each operation's summary is one button; the path link inside it is a second control
    // nested in the first (axe: nested-interactive). Without href it is plain text; the
    // button still opens the operation.
    document.querySelectorAll(".opblock-summary-control a[href]").forEach(function (link) {
      link.removeAttribute("href");
    });
    // A parameter's field is named by its row, which Swagger UI does not tie to it.
    document.querySelectorAll(
      "tr[data-param-name] select, tr[data-param-name] input, tr[data-param-name] textarea"
    ).forEach(function (field) {
      if (!field.hasAttribute("aria-label") && !field.labels.length) {
        field.setAttribute("aria-label", field.closest("tr").dataset.paramName);
      }
    });
    // Examples that scroll sideways must be reachable with the keyboard.
    document.querySelectorAll(".highlight-code > pre, pre.microlight, .opblock-body pre")
      .forEach(function (block) {
        if (!block.hasAttribute("tabindex")) {
          block.setAttribute("tabindex", "0");
        }
      });
  }
  new MutationObserver(repair).observe(document.body, { childList: true, subtree: true });
  repair();
})();
