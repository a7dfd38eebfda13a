/* congress: fold the billing fields away while a free ticket is chosen (self-hosted, CSP 'self').
 *
 * Without this script every billing field stays visible and labelled; the server
 * ignores them for a free ticket anyway. The fieldset lists the free tickets'
 * values in data-free-categories; it is hidden (and so skipped by the keyboard and
 * assistive technology) only while one of them is checked.
 */
(function () {
  "use strict";
  var fieldset = document.querySelector("fieldset[data-billing][data-free-categories]");
  if (!fieldset) {
    return;
  }
  var free = fieldset.getAttribute("data-free-categories").split(" ");
  var tickets = document.querySelectorAll('input[type="radio"][name="category"]');

  function update() {
    var chosen = document.querySelector('input[type="radio"][name="category"]:checked');
    fieldset.hidden = Boolean(chosen && free.indexOf(chosen.value) !== -1);
  }

  for (var i = 0; i < tickets.length; i += 1) {
    tickets[i].addEventListener("change", update);
  }
  update();
})();
