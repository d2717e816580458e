// Diacritic-insensitive product search. The compact index (search/index.json) is fetched only
// here, when someone searches: product pages never download it.
(function () {
  "use strict";
  var form = document.querySelector("[data-ocop-search]");
  if (!form) return;
  var input = form.querySelector("input");
  var list = document.querySelector("[data-ocop-results]");
  var count = document.querySelector("[data-ocop-count]");
  var index = null;

  function fold(text) {
    return text.replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function load() {
    if (index) return Promise.resolve(index);
    // the offline copy (opened from file://, where fetch is not allowed) ships the index as a script
    if (window.OCOP_SEARCH_INDEX) { index = window.OCOP_SEARCH_INDEX; return Promise.resolve(index); }
    return fetch(form.getAttribute("data-index")).then(function (r) { return r.json(); }).then(function (rows) { index = rows; return rows; });
  }
  function show(query) {
    var terms = fold(query).split(/\s+/).filter(Boolean);
    list.replaceChildren();
    if (!terms.length) { count.textContent = ""; return; }
    load().then(function (rows) {
      var hits = rows.filter(function (row) {
        var hay = " " + row[2];
        return terms.every(function (t) { return hay.indexOf(" " + t) !== -1 || hay.indexOf(t) !== -1; });
      });
      // stars first, then Vietnamese alphabetical order (Đ after D; catalog/collation.py orders the site the same way)
      var order = window.Intl && Intl.Collator ? new Intl.Collator("vi").compare : function (x, y) { return x < y ? -1 : x > y ? 1 : 0; };
      hits.sort(function (a, b) { return b[3] - a[3] || order(a[1], b[1]); });
      count.textContent = hits.length ? form.getAttribute("data-label-results").replace("{n}", hits.length) : form.getAttribute("data-label-none");
      // the pages of the search page's own language (data-base: the English home, en/); the index is shared
      var base = form.getAttribute("data-base") || form.getAttribute("data-index").replace(/search\/index\.json$/, "");
      hits.slice(0, 100).forEach(function (row) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        // opened from file:// (the offline copy), a folder link must name its index.html
        a.href = base + row[0] + (location.protocol === "file:" && /\/$/.test(row[0]) ? "index.html" : "");
        a.className = "ocop-card__name";
        a.textContent = row[1];
        var meta = document.createElement("span");
        meta.className = "ocop-card__meta";
        meta.textContent = "★".repeat(row[3]) + " · " + row[4];
        li.append(a, meta);
        list.append(li);
      });
    });
  }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var q = input.value;
    history.replaceState(null, "", "?q=" + encodeURIComponent(q));
    show(q);
  });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; show(initial); }
})();
