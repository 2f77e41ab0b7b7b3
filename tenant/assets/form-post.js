// Form Post response mode: submit the response to the application without waiting for a click.
(function () {
  "use strict";
  document.getElementById("form-post-response").submit();
})();
