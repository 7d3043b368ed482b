// Storyline search: loads search/index.json on first use and filters it in the page.
// Everything is relative to this page, so it works from a subpath and from file:// alike
// (where the index cannot be fetched, it says so).
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var LIMIT = 50;
  var index = null;

  function load() {
    if (index) return Promise.resolve(index);
    return fetch("index.json").then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    }).then(function (entries) {
      index = entries.map(function (e) {
        e.haystack = (e.title + " " + e.text + " " + (e.people || []).join(" ")).toLowerCase();
        return e;
      });
      return index;
    });
  }

  function show(query) {
    var words = query.toLowerCase().split(/\s+/).filter(Boolean);
    list.textContent = "";
    if (!words.length) { status.textContent = ""; return; }
    load().then(function (entries) {
      var hits = entries.filter(function (e) {
        return words.every(function (w) { return e.haystack.indexOf(w) !== -1; });
      });
      status.textContent = hits.length === 0 ? "Nothing found." :
        hits.length + (hits.length === 1 ? " result" : " results") +
        (hits.length > LIMIT ? ", the first " + LIMIT + " shown." : ".");
      hits.slice(0, LIMIT).forEach(function (e) {
        var item = document.createElement("li");
        var kind = document.createElement("span");
        kind.className = "label";
        kind.textContent = e.kind;
        var link = document.createElement("a");
        link.href = "../" + e.url;
        link.textContent = e.title;
        var text = document.createElement("p");
        text.textContent = e.text;
        item.append(kind, " ", link, text);
        if (e.event) {  // a quote: where it was said, and who carried it
          var where = document.createElement("p");
          where.className = "meta";
          where.textContent = "In " + e.event + " · carried by " + e.outlets.join(", ");
          item.append(where);
        }
        list.append(item);
      });
    }).catch(function () {
      status.textContent = "The search index could not be loaded (pages opened from disk " +
        "cannot load it); the timeline and sources pages list everything.";
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
    show(input.value);
  });
  input.addEventListener("input", function () { show(input.value); });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; show(initial); }
})();
