// A box that scrolls sideways (code, a wide table, a diagram) takes the keyboard's focus, so that arrow keys can
// scroll it; boxes that fit are left out of the tab order.
(function () {
  "use strict";

  const SCROLLING = "pre, .sequence-scroll, .table-scroll, table, [data-scroll-region]";
  const MARK = "data-scroll-focus";

  function overflows(box) {
    return box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
  }

  function update(root) {
    root.querySelectorAll(SCROLLING).forEach((box) => {
      const scrolls = overflows(box) && getComputedStyle(box).overflowX !== "visible"
        || overflows(box) && getComputedStyle(box).overflowY !== "visible";
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute(MARK, "");
      } else if (!scrolls && box.hasAttribute(MARK)) {
        box.removeAttribute("tabindex");
        box.removeAttribute(MARK);
      }
    });
  }

  let pending = 0;
  function soon() {
    if (pending) return;
    pending = requestAnimationFrame(() => { pending = 0; update(document); });
  }

  document.addEventListener("DOMContentLoaded", () => {
    update(document);
    window.addEventListener("resize", soon);
    new MutationObserver(soon).observe(document.body, { childList: true, subtree: true });
  });
})();
