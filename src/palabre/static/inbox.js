/* The inbox's keyboard shortcuts and the reply box's live counter. Everything works
   without it. j/k next/previous, Enter open (list); r reply, a assign to me, c close,
   u back to the inbox, j/k next/previous conversation; never while typing in a field,
   where Escape leaves the field and Ctrl+Enter (Cmd+Enter) sends the reply. */
(function () {
  "use strict";

  function typing(event) {
    var t = event.target;
    return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  }

  function setupList() {
    var rows = Array.prototype.slice.call(document.querySelectorAll("[data-conv-list] [data-row]"));
    if (!rows.length) return;
    var current = -1;
    function select(i) {
      if (i < 0 || i >= rows.length) return;
      if (current >= 0) rows[current].classList.remove("selected");
      current = i;
      rows[i].classList.add("selected");
      var link = rows[i].querySelector("a");
      if (link) link.focus();
    }
    document.addEventListener("keydown", function (event) {
      if (typing(event) || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === "j") select(current + 1);
      else if (event.key === "k") select(Math.max(current - 1, 0));
      else return;
      event.preventDefault();
    });
  }

  function setupConversation() {
    var reply = document.getElementById("reply-text");
    var assign = document.querySelector("[data-assign-me]");
    var close = document.querySelector("[data-close]");
    var back = document.querySelector("[data-back]");
    var next = document.querySelector("[data-next]");
    var prev = document.querySelector("[data-prev]");
    if (!back) return;
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && typing(event)) {
        event.target.blur();
        return;
      }
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && reply && event.target === reply) {
        event.preventDefault();
        reply.form.requestSubmit(); // the placeholder check still runs
        return;
      }
      if (typing(event) || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === "r" && reply) reply.focus();
      else if (event.key === "a" && assign) assign.submit();
      else if (event.key === "c" && close) close.click();
      else if (event.key === "u") window.location.href = back.href;
      else if (event.key === "j" && next) window.location.href = next.href;
      else if (event.key === "k" && prev) window.location.href = prev.href;
      else return;
      event.preventDefault();
    });
  }

  function setupCounter(form) {
    var text = form.querySelector("textarea[name=text]");
    var out = form.querySelector("[data-reply-counter]");
    var limit = parseInt(form.getAttribute("data-limit"), 10);
    if (!text || !out || !limit || !window.PalabreCount) return;
    var rule = form.getAttribute("data-rule");
    var urlLength = parseInt(form.getAttribute("data-url-length") || "23", 10);
    var msgLeft = form.getAttribute("data-msg-left") || "%(n)s";
    var msgOver = form.getAttribute("data-msg-over") || "-%(n)s";
    function update() {
      var used = window.PalabreCount(rule, text.value, urlLength);
      var over = used - limit;
      out.classList.toggle("over", over > 0);
      out.textContent =
        used + " / " + limit + " · " + (over > 0 ? msgOver : msgLeft).replace("%(n)s", String(Math.abs(over)));
    }
    text.addEventListener("input", update);
    update();
  }

  // Saved replies: the placeholders still in the text are named, and the reply is not
  // sent until each is filled in (the server refuses it too).
  function setupPlaceholders(form) {
    var text = form.querySelector("textarea[name=text]");
    var hint = form.querySelector("[data-placeholder-hint]");
    var known = (form.getAttribute("data-placeholders") || "").split("\n").filter(Boolean);
    if (!text || !hint || !known.length) return;
    var message = form.getAttribute("data-msg-placeholders") || "%(names)s";
    function left() {
      return known.filter(function (name) { return text.value.indexOf("[" + name + "]") !== -1; });
    }
    function update() {
      var names = left();
      hint.hidden = !names.length;
      hint.textContent = names.length ? message.replace("%(names)s", names.map(function (n) { return "[" + n + "]"; }).join(", ")) : "";
      return names.length;
    }
    text.addEventListener("input", update);
    form.addEventListener("submit", function (event) {
      if (update()) {
        event.preventDefault();
        text.focus();
      }
    });
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupList();
    setupConversation();
    document.querySelectorAll("form[data-reply]").forEach(setupCounter);
    document.querySelectorAll("form[data-reply]").forEach(setupPlaceholders);
  });
})();
