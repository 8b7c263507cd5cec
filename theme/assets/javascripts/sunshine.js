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
    // A match in the hidden bigram list (〔检索词〕) makes a meaningless excerpt: show what the record is instead.
    if (result.excerpt && result.excerpt.indexOf("检索词") >= 0) {
      result.excerpt = escapeHtml([meta.kind, meta.department].filter(Boolean).join("，"));
    }
    var prefix = [meta.kind, meta.department].filter(Boolean).join(" · ");
    if (prefix) meta.title = "【" + prefix + "】" + (meta.title || "");
    return result;
  }

  var translations = { placeholder: "搜索职权、岗位、风险点", zero_results: "没有找到“[SEARCH_TERM]”", filters_label: "筛选",
    many_results: "找到 [COUNT] 条“[SEARCH_TERM]”的结果", one_result: "找到 1 条“[SEARCH_TERM]”的结果",
    clear_search: "清除", load_more: "显示更多结果", searching: "正在搜索“[SEARCH_TERM]”……" };

  /* Pagefind imports bundlePath + "pagefind.js" as a module: it must be a path, not relative to the page. */
  function bundle(el) {
    return new URL(el.getAttribute("data-bundle"), document.baseURI).pathname;
  }

  function setupHeaderSearch() {
    var form = document.querySelector(".ss-header-search");
    if (!form || typeof PagefindUI === "undefined") return;
    var box = document.createElement("div");
    box.className = "ss-header-search__ui";
    form.replaceChildren(box);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    new PagefindUI({ element: box, bundlePath: bundle(form), showSubResults: false, showImages: false,
      resetStyles: false, excerptLength: 18, pageSize: 8, processResult: processResult, translations: translations });
    var input = box.querySelector("input");
    if (input) { input.id = "ss-q"; input.setAttribute("aria-label", "搜索本站"); }
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && box.contains(document.activeElement)) {
        var clear = box.querySelector(".pagefind-ui__search-clear");
        if (clear) clear.click();
      }
    });
  }

  function setupSearchPage() {
    var el = document.getElementById("ss-search-page");
    if (!el || typeof PagefindUI === "undefined") return;
    var ui = new PagefindUI({ element: el, bundlePath: bundle(el), showSubResults: true,
      showImages: false, resetStyles: false, openFilters: ["类型"], processResult: processResult, translations: translations });
    var pageInput = el.querySelector("input");
    if (pageInput) pageInput.setAttribute("aria-label", "搜索本站");
    var q = new URLSearchParams(window.location.search).get("q");
    if (q) ui.triggerSearch(q);
  }

  /* Tables: a select per column marked data-filter, a text box, sortable columns marked data-sort */
  function cellValue(cell) {
    return (cell.getAttribute("data-value") || cell.textContent || "").trim();
  }

  function setupTable(table) {
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
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
      var label = document.createElement("label");
      label.textContent = name;
      var select = document.createElement("select");
      select.appendChild(new Option("全部", ""));
      Object.keys(values).sort(function (a, b) { return a.localeCompare(b, "zh-CN"); })
        .forEach(function (v) { select.appendChild(new Option(v, v)); });
      label.appendChild(select);
      bar.appendChild(label);
      filters.push({ col: col, select: select, sep: sep });
    });
    var textLabel = document.createElement("label");
    textLabel.textContent = "在表中查找";
    var text = document.createElement("input");
    text.type = "search";
    textLabel.appendChild(text);
    bar.appendChild(textLabel);
    var count = document.createElement("span");
    count.className = "ss-count";
    count.setAttribute("role", "status");
    bar.appendChild(count);

    function apply() {
      var shown = 0, needle = text.value.trim();
      rows.forEach(function (row) {
        var ok = filters.every(function (f) {
          var want = f.select.value;
          if (!want) return true;
          var v = cellValue(row.cells[f.col]);
          return f.sep ? v.split(f.sep).map(function (x) { return x.trim(); }).indexOf(want) >= 0 : v === want;
        }) && (!needle || row.textContent.indexOf(needle) >= 0);
        row.hidden = !ok;
        if (ok) shown++;
      });
      count.textContent = "显示 " + shown + " / " + rows.length + " 项";
    }
    filters.forEach(function (f) { f.select.addEventListener("change", apply); });
    text.addEventListener("input", apply);

    heads.forEach(function (th, col) {
      var kind = th.getAttribute("data-sort");
      if (!kind) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "ss-sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var dir = button.getAttribute("data-dir") === "asc" ? "desc" : "asc";
        table.querySelectorAll(".ss-sort").forEach(function (b) { b.removeAttribute("data-dir"); });
        button.setAttribute("data-dir", dir);
        th.setAttribute("aria-sort", dir === "asc" ? "ascending" : "descending");
        var key = function (row) {
          var cell = row.cells[col];
          if (kind === "number" || kind === "rank" || kind === "level") {
            return parseFloat(cell.getAttribute("data-rank") || cellValue(cell)) || 0;
          }
          return cellValue(cell);
        };
        rows.sort(function (a, b) {
          var x = key(a), y = key(b);
          var c = typeof x === "number" ? x - y : String(x).localeCompare(String(y), "zh-CN");
          return dir === "asc" ? c : -c;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
    table.parentNode.parentNode.insertBefore(bar, table.parentNode);
    apply();
  }

  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    setupLargeText();
    setupHeaderSearch();
    setupSearchPage();
    document.querySelectorAll("table.ss-filterable").forEach(setupTable);
  });
})();
