// Reload the page when a file in the project changes, so the pages shown are current.
(function () {
  "use strict";
  var shown = document.body.dataset.version;
  function poll() {
    fetch("/api/version", { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        if (shown && answer.version !== shown) { location.reload(); return; }
        setTimeout(poll, 1000);
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();
