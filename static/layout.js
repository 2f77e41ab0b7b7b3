// Long values in inline code (URLs, tokens) wrap at their separators, never mid-word, when longer than the line.
(function () {
  "use strict";

  const LONG_ENOUGH = 24;
  const SEPARATOR = /([/?&=._|,]+)/;

  function breakAfterSeparators(textNode) {
    const parts = textNode.data.split(SEPARATOR);
    if (parts.length < 3) return;
    const pieces = [];
    parts.forEach((part, index) => {
      if (!part) return;
      pieces.push(document.createTextNode(part));
      if (index % 2 === 1) pieces.push(document.createElement("wbr"));
    });
    textNode.replaceWith(...pieces);
  }

  function addBreakOpportunities(root) {
    root.querySelectorAll("code").forEach((code) => {
      if (code.closest("pre") || code.textContent.length < LONG_ENOUGH) return;
      const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
      const texts = [];
      while (walker.nextNode()) texts.push(walker.currentNode);
      texts.forEach(breakAfterSeparators);
    });
  }

  document.addEventListener("DOMContentLoaded", () => addBreakOpportunities(document));
})();
