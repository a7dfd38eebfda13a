/* congress: the compact header's menu button (self-hosted, CSP 'self').
 *
 * Without this script the button stays hidden and the navigation stays visible:
 * the class it sets on <html> is what lets the stylesheet fold the menu away
 * under 600 px. The button says whether the menu is open through aria-expanded,
 * which the stylesheet also reads; Escape closes it and gives focus back.
 */
(function () {
  "use strict";
  var button = document.querySelector(".menu-button[aria-controls]");
  if (!button) {
    return;
  }
  document.documentElement.classList.add("has-menu-button");

  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      setOpen(false);
      button.focus();
    }
  });
})();
