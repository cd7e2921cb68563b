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

  // Share buttons: the device's share sheet where there is one, else the link copied. Without
  // either (or without this file) the button stays hidden: the address bar is the way to share.
  document.querySelectorAll("[data-share-url]").forEach(function (button) {
    var url = new URL(button.dataset.shareUrl, window.location.origin).href;
    var status = button.parentElement.querySelector(".share-status");
    if (!navigator.share && !(navigator.clipboard && window.isSecureContext)) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      if (navigator.share) {
        navigator.share({ title: button.dataset.shareTitle || document.title, url: url }).catch(function () {});
        return;
      }
      navigator.clipboard.writeText(url).then(function () {
        if (status) status.textContent = button.dataset.copied;
      });
    });
  });
})();
