// On a narrow screen a table's rows stack as cards (static/site.css): each cell carries its column's heading, so
// that the stacked cell still says what it is.
(function () {
  "use strict";

  const TABLES = "table.reflow, .prose table";

  function label(table) {
    const headings = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
    if (!headings.length) return;
    table.classList.add("reflow");
    table.querySelectorAll("tbody tr").forEach((row) => {
      [...row.children].forEach((cell, index) => {
        if (headings[index] && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", headings[index]);
      });
    });
  }

  function labelAll() {
    document.querySelectorAll(TABLES).forEach(label);
  }

  document.addEventListener("DOMContentLoaded", () => {
    labelAll();
    new MutationObserver(labelAll).observe(document.body, { childList: true, subtree: true });
  });
})();
