// The suggestion queue from the keyboard: j/k next/previous, a approve, e edit, s skip,
// x select. Keys typed in a text field are left alone (Escape leaves the field).
(function () {
  "use strict";
  function cards() { return Array.from(document.querySelectorAll("[data-suggestion]")); }
  function current() {
    var list = cards();
    var active = document.activeElement && document.activeElement.closest("[data-suggestion]");
    return active || list[0] || null;
  }
  function go(step) {
    var list = cards();
    if (!list.length) { return; }
    var focused = document.activeElement && document.activeElement.closest("[data-suggestion]");
    var index = focused ? list.indexOf(focused) + step : 0;  // the first key starts at the top
    var next = list[Math.max(0, Math.min(list.length - 1, index))];
    next.focus();
    next.scrollIntoView({ block: "nearest" });
  }
  function click(selector) {
    var card = current();
    var target = card && card.querySelector(selector);
    if (target) { target.click(); }
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var field = event.target.closest && event.target.closest("textarea, input, select");
    if (field) {
      if (event.key === "Escape") { field.blur(); var card = field.closest("[data-suggestion]"); if (card) { card.focus(); } }
      return;
    }
    var actions = {
      j: function () { go(1); },
      k: function () { go(-1); },
      a: function () { click("[data-approve]"); },
      s: function () { click("[data-skip]"); },
      x: function () { click("[data-select]"); },
      e: function () { var card = current(); var text = card && card.querySelector("textarea"); if (text) { text.focus(); } }
    };
    if (actions[event.key] && cards().length) { event.preventDefault(); actions[event.key](); }
  });
})();
