/* 阳光公示: large-text switch, Pagefind search in the header and on /search/, filterable and sortable tables.
   Everything works without this file; it only adds convenience. Nothing is loaded from outside the site. */
(function () {
  "use strict";

  /* Large text / high contrast, remembered per browser */
  function setupLargeText() {
    var button = document.querySelector(".ss-large-toggle");
    if (!button) return;
    var root = document.documentElement;
    var sync = function () { button.setAttribute("aria-pressed", root.classList.contains("ss-large") ? "true" : "false"); };
    sync();
    button.addEventListener("click", function () {
      root.classList.toggle("ss-large");
      try { localStorage.setItem("ss-large", root.classList.contains("ss-large") ? "1" : "0"); } catch (e) { /* private mode */ }
      sync();
    });
  }

  /* Search results name what a record is and where it belongs. Pagefind's UI shows titles as text. */
  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function processResult(result) {
    var meta = result.meta || {};
    var prefix = [meta.kind, meta.department].filter(Boolean).join(" · ");
    if (prefix) meta.title = "【" + prefix + "】" + (meta.title || "");
    return result;
  }

  var translations = { placeholder: "搜索职权、岗位、风险点", zero_results: "没有找到“[SEARCH_TERM]”", filters_label: "筛选",
    many_results: "找到 [COUNT] 条“[SEARCH_TERM]”的结果", one_result: "找到 1 条“[SEARCH_TERM]”的结果",
    clear_search: "清除", load_more: "显示更多结果", searching: "正在搜索“[SEARCH_TERM]”……" };

  /* Stable: the query's words in the name first, then in the excerpt shown, then anywhere in the text. */
  function rankVerbatim(term, data) {
    var parts = term.toLowerCase().split(/\s+/).filter(Boolean);
    var score = function (d) {
      var title = ((d.meta && d.meta.title) || "").toLowerCase(), text = (d.content || "").toLowerCase();
      var excerpt = (d.excerpt || "").replace(/<[^>]*>/g, "").toLowerCase();
      return parts.reduce(function (n, p) {
        return n + (title.indexOf(p) >= 0 ? 4 : excerpt.indexOf(p) >= 0 ? 2 : text.indexOf(p) >= 0 ? 1 : 0);
      }, 0);
    };
    return data.map(function (d, i) { return { d: d, s: score(d), i: i }; })
      .sort(function (a, b) { return b.s - a.s || a.i - b.i; }).map(function (x) { return x.d; });
  }

  /* Pagefind imports bundlePath + "pagefind.js" as a module: it must be a path, not relative to the page. */
  function bundle(el) {
    return new URL(el.getAttribute("data-bundle"), document.baseURI).pathname;
  }

  /* The header box stays the plain form it is (to /search/?q=, Enter still goes there). The first time it is used,
     Pagefind's search module is imported and a short list of results opens under it. Pagefind's own UI is not used
     here: it loads every filter file (100 KB at 10,000 records) and its own script (30 KB) for facets this box never
     shows. Only the search page, where the facets are, loads the UI. */
  var RESULTS_SHOWN = 8, RANKED = 16;

  function setupHeaderSearch() {
    var form = document.querySelector(".ss-header-search");
    var input = form && form.querySelector("input");
    if (!input) return;
    var pagefind = null, panel = null, latest = 0;
    var start = function () {
      if (pagefind) return;
      pagefind = import(bundle(form) + "pagefind.js").then(function (pf) {
        return pf.options({ excerptLength: 36 }).then(function () { return pf; });
      });
      pagefind.catch(function () { pagefind = null; });  // offline or missing index: the form still submits
      if (input.value.trim()) run();
    };
    var close = function () { if (panel) panel.hidden = true; };
    var run = function () {
      var term = input.value.trim(), id = ++latest;
      if (!term) { close(); return; }
      if (!pagefind) return;
      pagefind.then(function (pf) {
        // search/pagefind.js: the pages that hold the term, best first; the count is theirs.
        return pf.debouncedSearch(term, {}, 250);
      }).then(function (found) {
        if (!found || id !== latest) return null;  // a newer query is under way
        // Each result's data is a fragment to fetch (about 1 KB): the first RANKED, put in order by the term itself.
        return Promise.all(found.results.slice(0, RANKED).map(function (r) { return r.data(); })).then(function (data) {
          if (id === latest) show(term, found.results.length, rankVerbatim(term, data).slice(0, RESULTS_SHOWN));
        });
      });
    };
    var show = function (term, total, data) {
      if (!panel) {
        panel = document.createElement("div");
        panel.className = "ss-header-results";
        panel.setAttribute("role", "region");
        panel.setAttribute("aria-label", "搜索结果");
        form.appendChild(panel);
      }
      panel.replaceChildren();
      var summary = document.createElement("p");
      summary.className = "ss-header-results__summary";
      summary.setAttribute("role", "status");
      summary.textContent = total ? translations.many_results.replace("[COUNT]", total).replace("[SEARCH_TERM]", term)
        : translations.zero_results.replace("[SEARCH_TERM]", term);
      panel.appendChild(summary);
      var list = document.createElement("ol");
      data.forEach(function (d) {
        d = processResult(d);
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.className = "ss-header-results__link";
        link.href = d.url;
        link.textContent = d.meta.title || d.url;  // text, never markup: titles are the body's data
        var excerpt = document.createElement("p");
        excerpt.innerHTML = d.excerpt;  // Pagefind's excerpt: the page's text, escaped, with <mark> around the words
        item.appendChild(link);
        item.appendChild(excerpt);
        list.appendChild(item);
      });
      panel.appendChild(list);
      if (total > data.length) {
        var more = document.createElement("a");
        more.className = "ss-header-results__more";
        more.href = form.getAttribute("action") + "?q=" + encodeURIComponent(term);
        more.textContent = "全部 " + total + " 条结果，可按类型、部门筛选";
        panel.appendChild(more);
      }
      panel.hidden = false;
    };
    input.addEventListener("focus", start);
    input.addEventListener("pointerdown", start);
    input.addEventListener("input", function () { start(); run(); });
    form.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { input.value = ""; close(); input.focus(); }
    });
  }

  function setupSearchPage() {
    var el = document.getElementById("ss-search-page");
    if (!el || typeof PagefindUI === "undefined") return;
    var ui = new PagefindUI({ element: el, bundlePath: bundle(el), showSubResults: true, excerptLength: 40,
      showImages: false, resetStyles: false, openFilters: ["类型"], processResult: processResult, translations: translations,
    });
    var pageInput = el.querySelector("input");
    if (pageInput) pageInput.setAttribute("aria-label", "搜索本站");
    var q = new URLSearchParams(window.location.search).get("q");
    if (q) ui.triggerSearch(q);
    // On a phone the facets would push every result below the fold: they wait behind this button (CSS shows it
    // on narrow screens only).
    var toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "md-button ss-facets-toggle";
    toggle.textContent = "筛选：类型、部门、类别、等级";
    toggle.setAttribute("aria-controls", el.id);
    toggle.setAttribute("aria-expanded", "false");
    toggle.addEventListener("click", function () {
      var open = el.classList.toggle("ss-facets-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
    el.parentNode.insertBefore(toggle, el);
  }

  /* Tables: a select per column marked data-filter (and per name in the table's data-facets, whose values each
     row carries as JSON in data-facet-values), a text box, sortable columns marked data-sort. The choices live in
     the address (?状态=逾期&排序=工作进度&顺序=降), so a filtered list can be shared, bookmarked and reloaded. */
  var SORT = "排序", ORDER = "顺序", FIND = "查找", DESC = "降";

  function cellValue(cell) {
    return (cell.getAttribute("data-value") || cell.textContent || "").trim();
  }

  function rowFacets(row) {
    try { return JSON.parse(row.getAttribute("data-facet-values") || "{}"); } catch (e) { return {}; }
  }

  function addSelect(bar, name, values) {
    var label = document.createElement("label");
    label.textContent = name;
    var select = document.createElement("select");
    select.name = name;
    select.appendChild(new Option("全部", ""));
    Object.keys(values).sort(function (a, b) { return a.localeCompare(b, "zh-CN"); })
      .forEach(function (v) { select.appendChild(new Option(v, v)); });
    label.appendChild(select);
    bar.appendChild(label);
    return select;
  }

  function setupTable(table) {
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var original = rows.slice();
    var params = new URLSearchParams(window.location.search);
    var bar = document.createElement("div");
    bar.className = "ss-toolbar";
    var filters = [];
    heads.forEach(function (th, col) {
      var name = th.getAttribute("data-filter");
      if (!name) return;
      var sep = th.getAttribute("data-multi");
      var values = {};
      rows.forEach(function (row) {
        var v = cellValue(row.cells[col]);
        (sep ? v.split(sep) : [v]).forEach(function (x) { x = x.trim(); if (x) values[x] = true; });
      });
      var valuesOf = function (row) {
        var v = cellValue(row.cells[col]);
        return sep ? v.split(sep).map(function (x) { return x.trim(); }) : [v];
      };
      filters.push({ name: name, select: addSelect(bar, name, values), valuesOf: valuesOf });
    });
    (table.getAttribute("data-facets") || "").split(/\s+/).filter(Boolean).forEach(function (name) {
      var values = {};
      var valuesOf = function (row) { return [].concat(rowFacets(row)[name] || []); };
      rows.forEach(function (row) { valuesOf(row).forEach(function (x) { if (x) values[x] = true; }); });
      filters.push({ name: name, select: addSelect(bar, name, values), valuesOf: valuesOf });
    });
    var textLabel = document.createElement("label");
    textLabel.textContent = "在表中查找";
    var text = document.createElement("input");
    text.type = "search";
    text.name = FIND;
    textLabel.appendChild(text);
    bar.appendChild(textLabel);
    var count = document.createElement("span");
    count.className = "ss-count";
    count.setAttribute("role", "status");
    bar.appendChild(count);
    var sorted = { name: "", dir: "" };

    function remember() {
      var q = new URLSearchParams(window.location.search);
      filters.forEach(function (f) { if (f.select.value) q.set(f.name, f.select.value); else q.delete(f.name); });
      if (text.value.trim()) q.set(FIND, text.value.trim()); else q.delete(FIND);
      if (sorted.name) q.set(SORT, sorted.name); else q.delete(SORT);
      if (sorted.dir === "desc") q.set(ORDER, DESC); else q.delete(ORDER);
      var search = q.toString();
      history.replaceState(history.state, "", window.location.pathname + (search ? "?" + search : "") + window.location.hash);
    }

    function apply() {
      var shown = 0, needle = text.value.trim();
      rows.forEach(function (row) {
        var ok = filters.every(function (f) {
          return !f.select.value || f.valuesOf(row).indexOf(f.select.value) >= 0;
        }) && (!needle || row.textContent.indexOf(needle) >= 0);
        row.hidden = !ok;
        if (ok) shown++;
      });
      count.textContent = "显示 " + shown + " / " + rows.length + " 项";
    }
    filters.forEach(function (f) { f.select.addEventListener("change", function () { apply(); remember(); }); });
    text.addEventListener("input", function () { apply(); remember(); });

    var sorters = {};
    heads.forEach(function (th, col) {
      var kind = th.getAttribute("data-sort");
      if (!kind) return;
      var name = th.textContent.trim();
      var button = document.createElement("button");
      button.type = "button";
      button.className = "ss-sort";
      button.textContent = name;
      th.textContent = "";
      th.appendChild(button);
      // Paper repeats a long table's headings on every sheet, but not a button in them: the name, as text, for print.
      var printed = document.createElement("span");
      printed.className = "ss-sort-print";
      printed.textContent = name;
      th.appendChild(printed);
      var sortBy = function (dir) {
        table.querySelectorAll(".ss-sort").forEach(function (b) { b.removeAttribute("data-dir"); });
        heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
        button.setAttribute("data-dir", dir);
        th.setAttribute("aria-sort", dir === "asc" ? "ascending" : "descending");
        var key = function (row) {
          var cell = row.cells[col];
          if (kind === "number" || kind === "rank" || kind === "level") {
            return parseFloat(cell.getAttribute("data-rank") || cellValue(cell)) || 0;
          }
          return cellValue(cell);
        };
        rows = original.slice().sort(function (a, b) {
          var x = key(a), y = key(b);
          var c = typeof x === "number" ? x - y : String(x).localeCompare(String(y), "zh-CN");
          return dir === "asc" ? c : -c;
        });
        rows.forEach(function (row) { body.appendChild(row); });
        sorted = { name: name, dir: dir };
      };
      sorters[name] = sortBy;
      button.addEventListener("click", function () {
        sortBy(button.getAttribute("data-dir") === "asc" ? "desc" : "asc");
        remember();
      });
    });
    // Into the room the stylesheet kept at the top of the table's box: neither the box nor the table moves.
    var wrap = table.closest(".ss-table-wrap") || table.parentNode;
    wrap.insertBefore(bar, wrap.firstChild);
    table.classList.add("ss-ready");
    // On a phone the filters may not fit in their one row, which then scrolls sideways: its right edge fades while
    // more filters lie beyond it, so the reader knows to swipe (a mask: nothing moves).
    var hint = function () {
      bar.classList.toggle("ss-toolbar--more", bar.scrollLeft + bar.clientWidth < bar.scrollWidth - 1);
    };
    bar.addEventListener("scroll", hint, { passive: true });
    window.addEventListener("resize", hint);
    hint();

    // The address wins over the defaults: values that are not offered any more are ignored.
    filters.forEach(function (f) {
      var want = params.get(f.name);
      if (want && Array.prototype.some.call(f.select.options, function (o) { return o.value === want; })) f.select.value = want;
    });
    if (params.get(FIND)) text.value = params.get(FIND);
    if (params.get(SORT) && sorters[params.get(SORT)]) sorters[params.get(SORT)](params.get(ORDER) === DESC ? "desc" : "asc");
    apply();
  }

  /* A list split into pages (more than 500 rows): each page is a plain table with links to the others. Filtering
     and sorting need every row, so the first use (or an address that already filters or sorts) fetches the other
     pages and moves their rows into this table, in order; the page links then give way to the whole list. */
  function setupList(table) {
    var pages = (table.getAttribute("data-pages") || "").split(/\s+/).filter(Boolean);
    if (pages.length < 2) { setupTable(table); return; }
    var wrap = table.closest(".ss-table-wrap") || table.parentNode;
    var total = table.getAttribute("data-total");
    var bar = document.createElement("div");
    bar.className = "ss-toolbar";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-button ss-load-all";
    button.textContent = "筛选、排序全部 " + total + " 项";
    bar.appendChild(button);
    wrap.insertBefore(bar, wrap.firstChild);
    table.classList.add("ss-ready");  // the bar takes the room kept for the filters: nothing moves
    var load = function () {
      button.disabled = true;
      button.textContent = "正在载入全部 " + total + " 项……";
      Promise.all(pages.map(function (url) {
        var address = new URL(url, window.location.href);
        if (address.pathname === window.location.pathname) return null;  // this page's own rows
        return fetch(address.href).then(function (r) {
          if (!r.ok) throw new Error(r.status);
          return r.text().then(function (text) { return { base: address.href, text: text }; });
        });
      })).then(function (fetched) {
        var body = table.tBodies[0], own = Array.prototype.slice.call(body.rows), all = [];
        fetched.forEach(function (f) {
          if (!f) { all = all.concat(own); return; }
          var other = new DOMParser().parseFromString(f.text, "text/html").querySelector("table.ss-filterable tbody");
          Array.prototype.forEach.call(other ? other.rows : [], function (row) {
            // Links in the other page are relative to it.
            row.querySelectorAll("a[href]").forEach(function (a) { a.href = new URL(a.getAttribute("href"), f.base).href; });
            all.push(document.importNode(row, true));
          });
        });
        all.forEach(function (row) { body.appendChild(row); });
        bar.remove();
        var nav = wrap.nextElementSibling;
        if (nav && nav.classList.contains("ss-pager")) nav.hidden = true;
        setupTable(table);
      }, function () { button.disabled = false; button.textContent = "载入失败，点击重试"; });
    };
    button.addEventListener("click", load);
    if (Array.from(new URLSearchParams(window.location.search).keys()).length) load();
  }

  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  /* Folded long texts (依据, 追责情形 …) print whole: opened for the printout, closed again after. */
  function setupPrint() {
    var opened = [];
    window.addEventListener("beforeprint", function () {
      opened = Array.prototype.filter.call(document.querySelectorAll("details.ss-fold:not([open])"), function (d) {
        d.open = true;
        return true;
      });
    });
    window.addEventListener("afterprint", function () {
      opened.forEach(function (d) { d.open = false; });
      opened = [];
    });
  }

  ready(function () {
    setupPrint();
    setupLargeText();
    setupHeaderSearch();
    setupSearchPage();
    document.querySelectorAll("table.ss-filterable").forEach(setupList);
  });
})();
