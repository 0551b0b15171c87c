// Site-wide behaviours declared in markup, so no page needs inline script or on… handlers (the
// Content-Security-Policy forbids both):
//   <select data-autosubmit>            submits its form when changed
//   <form data-confirm="问题">           asks before submitting
//   <a data-confirm="问题">              asks before following the link
//   <input type="checkbox" data-check-all="name">  ticks or clears every checkbox named "name"
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("select[data-autosubmit]") && el.form) {
      el.form.submit();
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
  document.addEventListener("click", function (event) {
    var el = event.target.closest ? event.target.closest("a[data-confirm], input[data-check-all]") : null;
    if (!el) {
      return;
    }
    if (el.tagName === "A") {
      if (!window.confirm(el.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
      return;
    }
    var name = el.getAttribute("data-check-all");
    // The rows named "name", and any other "select all" box for them (top and bottom of a list).
    document.querySelectorAll('input[type="checkbox"][name="' + name + '"], input[data-check-all="' + name + '"]')
      .forEach(function (box) {
        box.checked = el.checked;
      });
  });
})();
