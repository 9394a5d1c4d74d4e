// Mark a shelf on a floor plan: drag a box on the plan and the form's position and size (per cent of the plan)
// are filled in; typing them moves the box too, so the keyboard does everything the mouse does.
(function () {
  "use strict";
  function ready() {
    var svg = document.getElementById("plan-svg");
    var draft = document.getElementById("draft");
    if (!svg || !draft) { return; }
    var W = parseFloat(svg.dataset.width), H = parseFloat(svg.dataset.height);
    var fields = {};
    ["x", "y", "w", "h"].forEach(function (k) { fields[k] = document.getElementById("shelf-" + k); });
    var start = null;

    function percent(evt) {
      var box = svg.getBoundingClientRect();
      return [Math.min(100, Math.max(0, (evt.clientX - box.left) / box.width * 100)),
              Math.min(100, Math.max(0, (evt.clientY - box.top) / box.height * 100))];
    }
    function show(x, y, w, h) {
      draft.setAttribute("x", x / 100 * W); draft.setAttribute("y", y / 100 * H);
      draft.setAttribute("width", Math.max(0, w) / 100 * W); draft.setAttribute("height", Math.max(0, h) / 100 * H);
    }
    function fill(a, b) {
      var x = Math.min(a[0], b[0]), y = Math.min(a[1], b[1]);
      var w = Math.abs(a[0] - b[0]), h = Math.abs(a[1] - b[1]);
      fields.x.value = x.toFixed(1); fields.y.value = y.toFixed(1);
      fields.w.value = w.toFixed(1); fields.h.value = h.toFixed(1);
      show(x, y, w, h);
    }
    svg.addEventListener("pointerdown", function (evt) {
      start = percent(evt);
      svg.setPointerCapture(evt.pointerId);
      evt.preventDefault();
    });
    svg.addEventListener("pointermove", function (evt) { if (start) { fill(start, percent(evt)); } });
    svg.addEventListener("pointerup", function (evt) {
      if (!start) { return; }
      fill(start, percent(evt));
      start = null;
      var label = document.getElementById("label");
      if (label) { label.focus(); }
    });
    Object.keys(fields).forEach(function (k) {
      fields[k].addEventListener("input", function () {
        var v = {};
        Object.keys(fields).forEach(function (j) { v[j] = parseFloat(fields[j].value) || 0; });
        show(v.x, v.y, v.w, v.h);
      });
    });
    if (fields.w.value) { fields.w.dispatchEvent(new Event("input")); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", ready); } else { ready(); }
}());
