// Teten's small amount of JavaScript. Every page works without it; this only smooths the edges.
(function () {
  "use strict";

  // Forms marked data-confirm ask before they are sent (e.g. stopping a collaboration).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // Uploads show their progress: a form marked data-upload-progress reveals its <progress> and
  // fills it as htmx sends the file.
  document.addEventListener("htmx:xhr:progress", function (event) {
    var form = event.target.closest && event.target.closest("form[data-upload-progress]");
    if (!form || !event.detail.lengthComputable) {
      return;
    }
    var box = form.querySelector(".upload-progress");
    var bar = form.querySelector("progress");
    var percent = Math.round((event.detail.loaded / event.detail.total) * 100);
    box.hidden = false;
    bar.value = percent;
    bar.textContent = percent + " %";
  });

  // A page can ask for focus on one element when it loads — an error summary far down a long page
  // (the budget tool on a phone), which would otherwise be out of sight. The script is deferred,
  // so the document has been parsed when this runs.
  var focusOnLoad = document.querySelector("[data-focus-on-load]");
  if (focusOnLoad) {
    focusOnLoad.focus();
  }

  // After htmx swaps in new content, move focus to an element that asks for it, so keyboard and
  // screen-reader users land on what changed.
  document.addEventListener("htmx:afterSettle", function () {
    var focus = document.querySelector("[data-focus-after-swap]");
    if (focus) {
      focus.removeAttribute("data-focus-after-swap");
      focus.focus();
    }
  });
})();
