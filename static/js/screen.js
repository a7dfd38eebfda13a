// Venue screens (/now/screen): reload every minute, but only once the server answers,
// so a screen that loses the network keeps showing the last page (with its time)
// instead of a browser error page. No error escapes: a failed check waits and retries.
(function () {
  "use strict";
  var root = document.documentElement;
  var seconds = parseInt(root.getAttribute("data-refresh") || "60", 10);
  function check() {
    if (!window.fetch) {
      window.location.reload();
      return;
    }
    window.fetch(window.location.href, { cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (response.ok) {
          window.location.reload();
        } else {
          later();
        }
      })
      .catch(later);
  }
  function later() {
    window.setTimeout(check, seconds * 1000);
  }
  later();
})();
