// "Quote" in place: instead of reloading the thread with ?quote=<id>, fetch that same page,
// take the blockquote the server put in its reply box, add it to this page's reply box and
// move the focus there. Without JavaScript (or if anything fails) the link works as it is.
(function () {
  "use strict";
  var box = document.getElementById("body");
  if (!box || !window.fetch || !window.DOMParser) {
    return;
  }

  function addToBox(quote) {
    var current = box.value;
    var gap = "";
    if (current && !/\n\n$/.test(current)) {
      gap = /\n$/.test(current) ? "\n" : "\n\n";
    }
    box.value = current + gap + quote;
    box.focus();
    box.setSelectionRange(box.value.length, box.value.length);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.quote-link") : null;
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey ||
        event.altKey) {
      return;
    }
    event.preventDefault();
    fetch(link.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var fetched = new DOMParser().parseFromString(html, "text/html").getElementById("body");
        if (!fetched || !fetched.value) {
          throw new Error("no quote in the page");
        }
        addToBox(fetched.value);
      })
      .catch(function () {
        window.location.href = link.href;
      });
  });
}());
