/* The portal's search: Pagefind's UI over every body's own index, merged in the browser (Pagefind multisite), each
   body's results marked with a 单位 filter. Every file comes from the portal's own folder. */
(function () {
  "use strict";
  var el = document.getElementById("pt-search");
  if (!el || typeof PagefindUI === "undefined") return;
  /* The bodies, in the portal's order, from the links to their own search. Pagefind's UI shows filter values and
     result tags as HTML: each body's name comes with markup characters in their full-width forms (data-filter,
     made by the portal as the bodies' own filter values are), never as the raw name. */
  var bodies = Array.prototype.map.call(document.querySelectorAll("[data-bundle]"), function (a) {
    return { bundle: a.getAttribute("data-bundle"), base: a.getAttribute("data-base"),
             name: a.getAttribute("data-filter") };
  });
  if (!bodies.length) return;
  /* Pagefind imports each bundle as a module and prefixes each result's address: absolute paths, not relative. */
  var path = function (rel) { return new URL(rel, document.baseURI).pathname; };
  var options = function (b) { return { bundlePath: path(b.bundle), baseUrl: path(b.base), mergeFilter: { "单位": b.name } }; };
  var bases = bodies.map(function (b) { return [path(b.base), b.name]; });
  /* Each result says whose it is: its body's name is the one tag shown (the bodies' own tags are their search's). */
  var whose = function (d) {
    var hit = bases.filter(function (b) { return d.url.indexOf(b[0]) === 0; })[0];
    d.meta = { title: d.meta.title || d.url, "单位": hit ? hit[1] : "" };
    return d;
  };
  var first = options(bodies[0]);
  var ui = new PagefindUI({
    element: el, bundlePath: first.bundlePath, baseUrl: first.baseUrl, mergeFilter: first.mergeFilter,
    mergeIndex: bodies.slice(1).map(options), showSubResults: true, showImages: false, resetStyles: false,
    // on a phone the results come first and the filters wait, closed, below them (portal.css)
    openFilters: window.matchMedia("(min-width: 45em)").matches ? ["单位"] : [], processResult: whose
  });
  var input = el.querySelector("input");
  if (input) input.setAttribute("aria-label", "搜索所有单位");
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) ui.triggerSearch(q);
})();
