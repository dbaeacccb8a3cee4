// Storyline: a few lines of progressive enhancement. Everything works without this file.
(function () {
  "use strict";
  function openEvent(id, scroll) {
    var el = document.getElementById("ev-" + id);
    if (!el || el.tagName !== "DETAILS") return;
    el.open = true;
    document.querySelectorAll("svg.timeline a.ev.on").forEach(function (a) { a.classList.remove("on"); });
    document.querySelectorAll('svg.timeline a.ev[data-event="' + CSS.escape(id) + '"]').forEach(function (a) {
      a.classList.add("on");
    });
    if (scroll) el.scrollIntoView({ behavior: "smooth", block: "nearest" });
  }
  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest("svg.timeline a.ev");
    if (!link) return;
    e.preventDefault();
    var id = link.getAttribute("data-event");
    history.replaceState(null, "", "#ev-" + id);
    openEvent(id, true);
  });
  document.addEventListener("DOMContentLoaded", function () {
    if (location.hash.indexOf("#ev-") === 0) openEvent(decodeURIComponent(location.hash.slice(4)), true);
    var status = document.querySelector(".job-status[data-status]");
    if (status && /^(queued|running)$/.test(status.getAttribute("data-status"))) {
      setTimeout(function () { location.reload(); }, 1500);
    }
  });
})();
