/* A record page's "在手机上打开" QR code, drawn here rather than on the server (it was most of the time spent making
   page sources, and 2 KB of every page). The page carries the address in data-ss-qr and shows it as text until the
   code is drawn (no script, or not drawn yet: the address is still there to read or print).

   Drawn only where it shows: on a wide screen, or when the page is printed. On a phone the block is hidden (the
   reader is already on the phone), so the encoder (vendor/qrcode.js, 12 KB gzip) is not even fetched there.
   The SVG is built with DOM methods: the address only ever becomes an attribute value or the code's bits. */
(function () {
  "use strict";
  var figure = document.querySelector(".ss-qr[data-ss-qr]");
  if (!figure || !document.currentScript) return;
  var encoder = new URL("vendor/qrcode.js", document.currentScript.src).href;
  var SVG = "http://www.w3.org/2000/svg";
  var QUIET = 2;  // modules of white around the code, as the server-made code had (a screen has no busy wall)
  var loading = false;

  function svgElement(name, attrs) {
    var el = document.createElementNS(SVG, name);
    for (var k in attrs) el.setAttribute(k, attrs[k]);
    return el;
  }

  // One path of horizontal runs of dark modules: a few hundred bytes of DOM for the whole code.
  function pathOf(code, n) {
    var d = [];
    for (var y = 0; y < n; y++) {
      for (var x = 0; x < n; x++) {
        if (!code.isDark(y, x)) continue;
        var start = x;
        while (x + 1 < n && code.isDark(y, x + 1)) x++;
        d.push("M" + (start + QUIET) + " " + (y + QUIET) + "h" + (x - start + 1) + "v1h-" + (x - start + 1) + "z");
      }
    }
    return d.join("");
  }

  function draw() {
    if (figure.classList.contains("ss-qr--drawn") || typeof window.qrcode !== "function") return;
    var url = figure.getAttribute("data-ss-qr");
    window.qrcode.stringToBytes = window.qrcode.stringToBytesFuncs["UTF-8"];
    var code = window.qrcode(0, "M");  // version chosen by length; error correction M, as the wall boards' codes
    code.addData(url, "Byte");
    code.make();
    var n = code.getModuleCount(), side = n + 2 * QUIET;
    var svg = svgElement("svg", {viewBox: "0 0 " + side + " " + side, width: 99, height: 99, role: "img",
                                 "aria-label": "二维码：" + url, "shape-rendering": "crispEdges"});
    svg.appendChild(svgElement("rect", {width: side, height: side, fill: "#fff"}));
    svg.appendChild(svgElement("path", {d: pathOf(code, n), fill: "#000"}));
    figure.querySelector(".ss-qr__code").appendChild(svg);
    figure.classList.add("ss-qr--drawn");
  }

  function load() {
    if (loading) return;
    loading = true;
    var script = document.createElement("script");
    script.src = encoder;
    script.onload = draw;
    document.head.appendChild(script);
  }

  var wide = window.matchMedia("(min-width: 45em)");  // where the stylesheet shows the block on screen
  if (wide.matches) {
    load();
  } else {
    if (wide.addEventListener) wide.addEventListener("change", function (e) { if (e.matches) load(); });
    window.addEventListener("beforeprint", load);  // a phone's print may go before it arrives: the address prints
  }
})();
