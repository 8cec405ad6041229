// The server was busy: send the same form again once it says it may have room.
(function () {
  "use strict";
  var form = document.getElementById("again");
  if (!form) { return; }
  var seconds = Number(form.dataset.seconds) || 2;
  setTimeout(function () { form.submit(); }, seconds * 1000);
})();
