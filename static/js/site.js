// civicnet: small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  // htmx does not swap error responses: tell the person what happened instead of doing nothing.
  document.body.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    var key = status === 429 ? "rateLimited" : status === 403 ? "forbidden" : "failed";
    var message = document.body.dataset[key] || document.body.dataset.failed;
    var region = document.getElementById("live-messages");
    if (!region || !message) return;
    var paragraph = document.createElement("p");
    paragraph.className = "message message-error";
    paragraph.textContent = message;
    region.replaceChildren(paragraph);
  });
})();
