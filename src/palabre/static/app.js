/* Palabre's own small script: the menu on phones, the composer's live counters, image
   slots, confirmations, and the calendar's drag and drop. Everything works without it;
   it only makes things quicker. No third-party code. */
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  function format(message, n) {
    return String(message).replace("%(n)s", String(n));
  }

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"] || "";
    } catch (e) {
      return "";
    }
  }

  /* ---- The menu: the whole of it behind "Menu" on small screens; on wide screens each
     section's button opens its pages (a disclosure). Escape closes what is open and puts
     the focus back on its button; a click elsewhere closes a section. */
  function setupMenu() {
    var toggle = document.querySelector(".menu-toggle");
    var nav = document.getElementById("mainnav");
    if (!toggle || !nav) return;
    var sections = Array.prototype.slice.call(nav.querySelectorAll("[data-nav-section]"));

    function button(section) {
      return section.querySelector(".nav-toggle");
    }

    function setOpen(section, open) {
      var list = section.querySelector(".nav-list");
      button(section).setAttribute("aria-expanded", open ? "true" : "false");
      list.classList.remove("end");
      /* A list that would pass the window's right edge opens leftwards from its button. */
      if (open && list.getBoundingClientRect().right > document.documentElement.clientWidth) {
        list.classList.add("end");
      }
    }

    function openSection() {
      for (var i = 0; i < sections.length; i++) {
        var b = button(sections[i]);
        if (b.getAttribute("aria-expanded") === "true" && b.offsetParent !== null) return sections[i];
      }
      return null;
    }

    function setMenu(open) {
      nav.classList.toggle("open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }

    toggle.addEventListener("click", function () {
      setMenu(!nav.classList.contains("open"));
    });

    sections.forEach(function (section) {
      button(section).addEventListener("click", function () {
        var open = button(section).getAttribute("aria-expanded") !== "true";
        sections.forEach(function (other) {
          setOpen(other, other === section && open);
        });
      });
      /* Tabbing out of a section closes it (a click elsewhere is handled below). */
      section.addEventListener("focusout", function (event) {
        if (event.relatedTarget && !section.contains(event.relatedTarget)) setOpen(section, false);
      });
    });

    document.addEventListener("click", function (event) {
      var open = openSection();
      if (open && !open.contains(event.target)) setOpen(open, false);
    });

    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      var open = openSection();
      if (open) {
        setOpen(open, false);
        button(open).focus();
      } else if (nav.classList.contains("open") && (nav.contains(document.activeElement) || document.activeElement === toggle)) {
        setMenu(false);
        toggle.focus();
      } else {
        return;
      }
      event.preventDefault();
    });
  }

  /* ---- Counting characters as each network does (same rules as channels/text.py) */
  var segmenter =
    typeof Intl !== "undefined" && Intl.Segmenter ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;

  function graphemes(text) {
    if (!text) return 0;
    if (segmenter) {
      var n = 0;
      for (var it = segmenter.segment(text)[Symbol.iterator](), s = it.next(); !s.done; s = it.next()) n++;
      return n;
    }
    return Array.from(text).length;
  }

  var URL_RE = /(?<![\p{L}\p{N}_/])https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/giu;
  var MENTION_RE = /(?<![\p{L}\p{N}_@])(@[\p{L}\p{N}_]+(?:[.\-][\p{L}\p{N}_]+)*)@[\p{L}\p{N}_\-]+(?:\.[\p{L}\p{N}_\-]+)+/gu;

  function mastodonLength(text, urlLength) {
    var filler = new Array(urlLength + 1).join("x");
    return graphemes(text.replace(URL_RE, filler).replace(MENTION_RE, "$1"));
  }

  function countFor(rule, text, urlLength) {
    return rule === "mastodon" ? mastodonLength(text, urlLength) : graphemes(text);
  }

  /* Shared with inbox.js (the reply box counts like the composer). */
  window.PalabreCount = countFor;

  /* ---- Composer */
  function setupComposer(form) {
    var base = form.querySelector("[data-base-text]");
    var msgLeft = form.getAttribute("data-msg-left") || "%(n)s";
    var msgOver = form.getAttribute("data-msg-over") || "-%(n)s";
    var channels = Array.prototype.slice.call(form.querySelectorAll("[data-channel]"));

    function update(channel) {
      var box = channel.querySelector("input[type=checkbox]");
      var variant = channel.querySelector("[data-variant]");
      var counter = channel.querySelector("[data-counter]");
      channel.classList.toggle("selected", box.checked);
      if (!counter) return;
      var own = variant && variant.value.trim() ? variant.value : null;
      var text = own !== null ? own : base ? base.value : "";
      var limit = parseInt(channel.getAttribute("data-limit"), 10);
      var urlLength = parseInt(channel.getAttribute("data-url-length") || "23", 10);
      var used = countFor(channel.getAttribute("data-rule"), text, urlLength);
      var over = used - limit;
      counter.classList.toggle("over", over > 0);
      counter.textContent = used + " / " + limit + " · " + (over > 0 ? format(msgOver, over) : format(msgLeft, -over));
    }

    function updateAll() {
      channels.forEach(update);
    }

    form.addEventListener("input", updateAll);
    form.addEventListener("change", updateAll);
    updateAll();

    /* Image slots: show the next one once a file is chosen; the alt text becomes required. */
    form.querySelectorAll("[data-image]").forEach(function (input) {
      input.addEventListener("change", function () {
        var slot = input.closest("[data-image-slot]");
        var alt = slot && slot.querySelector("textarea");
        if (alt) alt.required = input.files && input.files.length > 0;
        var next = slot && slot.nextElementSibling;
        if (next && next.hasAttribute("data-later") && input.files && input.files.length) {
          next.removeAttribute("data-later");
        }
      });
    });
  }

  /* ---- Buttons that ask first */
  function setupConfirm() {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      var question = form.getAttribute && form.getAttribute("data-confirm");
      if (question && !window.confirm(question)) event.preventDefault();
    });
  }

  /* ---- Calendar: drag a post to another day (month) or day and hour (week) */
  function setupCalendar(root) {
    var moveUrl = root.getAttribute("data-move-url");
    var msgError = root.getAttribute("data-msg-error") || "Error";
    var status = document.getElementById("cal-status");
    var dragged = null;

    function say(message, kind) {
      if (!status) return;
      status.hidden = false;
      status.className = "flash flash-" + kind;
      status.textContent = message;
    }

    root.addEventListener("dragstart", function (event) {
      var post = event.target.closest && event.target.closest(".cal-post[draggable=true]");
      if (!post) return;
      dragged = { el: post, parent: post.parentNode, next: post.nextSibling };
      post.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", post.getAttribute("data-post-id"));
    });

    root.addEventListener("dragend", function () {
      if (dragged) dragged.el.classList.remove("dragging");
      root.querySelectorAll(".drop.over").forEach(function (el) {
        el.classList.remove("over");
      });
    });

    root.addEventListener("dragover", function (event) {
      var cell = dragged && event.target.closest && event.target.closest(".drop");
      if (!cell) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      root.querySelectorAll(".drop.over").forEach(function (el) {
        if (el !== cell) el.classList.remove("over");
      });
      cell.classList.add("over");
    });

    root.addEventListener("drop", function (event) {
      var cell = dragged && event.target.closest && event.target.closest(".drop");
      if (!cell) return;
      event.preventDefault();
      cell.classList.remove("over");
      var move = dragged;
      dragged = null;
      if (cell === move.parent) return;
      var post = move.el;
      var body = { post_id: post.getAttribute("data-post-id"), version: post.getAttribute("data-version") };
      var hour = cell.getAttribute("data-hour");
      if (hour !== null) {
        var minute = post.getAttribute("data-minute") || "0";
        body.datetime = cell.getAttribute("data-date") + "T" + ("0" + hour).slice(-2) + ":" + ("0" + minute).slice(-2);
      } else {
        body.date = cell.getAttribute("data-date");
      }
      cell.appendChild(post);
      post.classList.remove("dragging");
      post.classList.add("saving");

      function putBack(message) {
        move.parent.insertBefore(post, move.next);
        say(message || msgError, "error");
      }

      fetch(moveUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken(), Accept: "application/json" },
        body: JSON.stringify(body),
      })
        .then(function (response) {
          return response
            .json()
            .catch(function () {
              return { ok: false };
            })
            .then(function (data) {
              post.classList.remove("saving");
              if (!response.ok || !data.ok) {
                putBack(data.message);
                return;
              }
              post.setAttribute("data-version", data.version);
              var time = post.querySelector("[data-time]");
              if (time && data.time) time.textContent = data.time;
              say(data.message, "success");
            });
        })
        .catch(function () {
          post.classList.remove("saving");
          putBack();
        });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupMenu();
    setupConfirm();
    document.querySelectorAll("[data-composer]").forEach(setupComposer);
    document.querySelectorAll("[data-calendar]").forEach(setupCalendar);
    var summary = document.querySelector("[data-focus]");
    if (summary) summary.focus();
  });
})();
