// A form re-shown with problems: move the focus to its error summary, so that a screen reader
// reads the problems out and the keyboard starts from them. A link in the summary then brings
// the field's label (or a group's question) into view and puts the focus in the field itself,
// the first answer of a radio or checkbox group. Without JavaScript the summary is still the
// first thing in the form and its links still lead to the fields.
(function () {
  "use strict";
  var summary = document.querySelector(".error-summary");
  if (!summary) {
    return;
  }
  summary.focus();

  function labelOf(target, field) {
    if (target.tagName === "FIELDSET") {
      return target.querySelector("legend");
    }
    var labels = field.labels;
    return labels && labels.length ? labels[0] : null;
  }

  summary.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
    if (!link) {
      return;
    }
    var target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!target) {
      return;
    }
    var field = target.matches("input, select, textarea") ? target
      : target.querySelector("input:not([type=hidden]), select, textarea");
    if (!field) {
      return;
    }
    event.preventDefault();
    (labelOf(target, field) || field).scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();
