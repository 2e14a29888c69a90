// threatdex serve: keys and the timeline's range drag. Hand-written, no
// framework; the pages work without it.
(function () {
  "use strict";
  var q = document.getElementById("q");
  var typing = function (el) {
    return el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.isContentEditable);
  };
  var hits = function () {
    return Array.prototype.slice.call(document.querySelectorAll(".hit a.title"));
  };
  var focusHit = function (i) {
    var list = hits();
    if (!list.length) return;
    i = Math.max(0, Math.min(list.length - 1, i));
    list.forEach(function (a) { a.closest(".hit").classList.remove("current"); });
    list[i].closest(".hit").classList.add("current");
    list[i].focus();
    list[i].scrollIntoView({ block: "nearest" });
  };
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var list = hits();
    var at = list.indexOf(document.activeElement);
    if (e.key === "/" && !typing(document.activeElement) && q) {
      e.preventDefault();
      q.focus();
      q.select();
    } else if (e.key === "Escape" && document.activeElement === q) {
      q.blur();
    } else if ((e.key === "ArrowDown" && (at >= 0 || document.activeElement === q)) ||
               (e.key === "j" && !typing(document.activeElement))) {
      e.preventDefault();
      focusHit(at + 1);
    } else if ((e.key === "ArrowUp" && at >= 0) || (e.key === "k" && !typing(document.activeElement))) {
      e.preventDefault();
      if (at <= 0 && e.key === "ArrowUp" && q) q.focus(); else focusHit(at - 1);
    } else if (e.key === "Enter" && at < 0 && document.activeElement === document.body && list.length) {
      window.location.href = list[0].href;
    }
  });

  // Timeline: press on one month and release on another to pick the
  // range; a plain click follows the month's own link.
  var months = Array.prototype.slice.call(document.querySelectorAll(".timeline a.month"));
  var start = null, end = null;
  var monthAt = function (e) {
    var el = document.elementFromPoint(e.clientX, e.clientY);
    return el ? el.closest("a.month") : null;
  };
  var paint = function () {
    var a = months.indexOf(start), b = months.indexOf(end);
    var lo = Math.min(a, b), hi = Math.max(a, b);
    months.forEach(function (m, i) { m.classList.toggle("drag", start !== null && i >= lo && i <= hi); });
  };
  months.forEach(function (m) {
    m.addEventListener("pointerdown", function (e) {
      if (e.button !== 0) return;
      start = end = m;
      paint();
    });
  });
  document.addEventListener("pointermove", function (e) {
    if (start === null) return;
    var m = monthAt(e);
    if (m && m !== end) { end = m; paint(); }
  });
  document.addEventListener("pointerup", function (e) {
    if (start === null) return;
    var m = monthAt(e) || end;
    var a = months.indexOf(start), b = months.indexOf(m);
    start = end = null;
    if (a < 0 || b < 0 || a === b) { paint(); return; }
    var lo = months[Math.min(a, b)], hi = months[Math.max(a, b)];
    var url = new URL(window.location.href);
    url.searchParams.set("since", lo.getAttribute("data-since"));
    url.searchParams.set("until", hi.getAttribute("data-until"));
    url.searchParams.delete("n");
    window.location.href = url.pathname + url.search;
  });
  // A drag must not also follow the first month's link.
  months.forEach(function (m) {
    m.addEventListener("click", function (e) {
      if (m.classList.contains("drag") && start === null && document.querySelectorAll(".timeline a.drag").length > 1) {
        e.preventDefault();
      }
    });
  });

  // Dim the results while the next page loads (their size stays put).
  window.addEventListener("beforeunload", function () { document.body.classList.add("loading"); });
  window.addEventListener("pageshow", function () { document.body.classList.remove("loading"); });
})();
