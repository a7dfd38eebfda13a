// Registers the service worker (/sw.js) and, on a page the worker saved, says how old
// it is while the network is down; reloads once the network is back.
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !window.caches) {
    return;
  }
  navigator.serviceWorker.register("/sw.js").catch(function () {
    // No worker (private browsing, an old browser): the site works online as before.
  });
  var banner = document.getElementById("offline-banner");
  function clock(date) {
    var hours = String(date.getHours()).padStart(2, "0");
    var minutes = String(date.getMinutes()).padStart(2, "0");
    return hours + ":" + minutes;
  }
  function show() {
    if (!banner || navigator.onLine) {
      return;
    }
    window.caches.match(window.location.href, { ignoreVary: true }).then(function (saved) {
      var stamp = saved && saved.headers.get("X-Congress-Saved-At");
      var template = stamp ? banner.getAttribute("data-saved") : banner.getAttribute("data-unsaved");
      banner.textContent = template.replace("{time}", stamp ? clock(new Date(stamp)) : "");
      banner.hidden = false;
    }).catch(function () {});
  }
  // Browsers announce "online" on any change of network (a venue's Wi-Fi, a captive
  // portal, a tab's emulation toggled): the saved page is replaced only when the site
  // itself answers, and never while the visitor is already leaving for another page,
  // since reloading this one would cancel that navigation.
  var leaving = false;
  window.addEventListener("beforeunload", function () { leaving = true; });
  window.addEventListener("pagehide", function () { leaving = true; });
  window.addEventListener("pageshow", function () { leaving = false; });
  window.addEventListener("offline", show);
  window.addEventListener("online", function () {
    if (!banner || banner.hidden || leaving) {
      return;
    }
    window.fetch(window.location.href, { method: "HEAD", cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (response.ok && !leaving) {
          window.location.reload();
        }
      })
      .catch(function () {
        // Still unreachable: the saved page stays, with its banner.
      });
  });
  show();
})();
