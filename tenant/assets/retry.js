// A form the tenant was too busy to check: count down the seconds it named, then send it again.
(function () {
  "use strict";
  var form = document.querySelector("form[data-retry-after]");
  if (!form) {
    return;
  }
  var seconds = parseInt(form.getAttribute("data-retry-after"), 10) || 1;
  var shown = document.getElementById("retry-countdown");
  function tick() {
    if (seconds <= 0) {
      form.submit();
      return;
    }
    if (shown) {
      shown.textContent = String(seconds);
    }
    seconds -= 1;
    window.setTimeout(tick, 1000);
  }
  tick();
})();
