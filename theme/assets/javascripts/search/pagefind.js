/* 阳光公示: Pagefind's search module with Chinese searched by its characters, for the header box (sunshine.js) and
   the search page (Pagefind's UI, whose bundlePath is this folder: it imports "pagefind.js" from it).

   The index holds every Chinese character as a word of its own (generator/web/searchtext.py), so a page holds 核发
   exactly when 核 and 发 stand side by side: Pagefind's phrase search "核 发". Words the browser's segmenter does
   not know (帮扶, 核发, 廉政) are found like any other, and a page is never found for holding the characters apart.
   The phrase search gives the pages but no order; the same characters searched loosely give Pagefind's ranking
   (the title counts most), which orders them. Titles and excerpts come back with the characters joined again.
   Everything else (filters, options, Latin words and numbers) is Pagefind's own. */
import * as pagefind from "../../../pagefind/pagefind.js";

const HAN = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{3134f}";
const HAS_HAN = new RegExp("[" + HAN + "]", "u");
const EACH_HAN = new RegExp("([" + HAN + "])", "gu");
// A space the index put between two characters, seen in a title or an excerpt (maybe around Pagefind's <mark>).
const JOINED = new RegExp("([" + HAN + "](?:</mark>)?) (?=(?:<mark>)?[" + HAN + "])", "gu");

export const options = pagefind.options;
export const init = pagefind.init;
export const filters = pagefind.filters;
export const destroy = pagefind.destroy;
export const mergeIndex = pagefind.mergeIndex;

/* The query's words: Chinese characters each a word, punctuation gone (Pagefind drops it too). */
function characters(word) {
  return word.replace(EACH_HAN, " $1 ").replace(/[\p{P}\p{S}]/gu, " ").replace(/\s+/g, " ").trim();
}

function words(term) {
  return String(term || "").replace(/[\u201c\u201d"]/g, " ").split(/\s+/).filter(Boolean);
}

export function joinCharacters(text) {
  if (typeof text !== "string") return text;
  text = text.replace(/\u200b/g, "")  // Pagefind's mark after each word of a segmented language
    .replace(/(\s+)<\/mark>/g, "</mark>$1");  // a highlight ends at its word, not after the space
  let before;
  do { before = text; text = text.replace(JOINED, "$1"); } while (text !== before);
  return text.replace(/<\/mark><mark>/g, "");  // one highlight for the word, not one per character
}

function joinedData(data) {
  if (!data) return data;
  data.content = joinCharacters(data.content);
  data.excerpt = joinCharacters(data.excerpt);
  if (data.meta) Object.keys(data.meta).forEach(function (k) { data.meta[k] = joinCharacters(data.meta[k]); });
  (data.sub_results || []).forEach(function (s) { s.title = joinCharacters(s.title); s.excerpt = joinCharacters(s.excerpt); });
  (data.anchors || []).forEach(function (a) { a.text = joinCharacters(a.text); });
  return data;
}

function withJoinedData(result) {
  const load = result.data;
  return Object.assign({}, result, { data: function () { return load.call(result).then(joinedData); } });
}

/* A term with Chinese in it: the pages holding each of its words verbatim (Chinese words as phrases of their
   characters, the others as Pagefind finds them), in the order of the loose search of the same characters. */
export async function search(term, opts) {
  const all = words(term);
  if (!all.some(function (w) { return HAS_HAN.test(w); })) {
    const plain = await pagefind.search(term, opts);
    if (plain && plain.results) plain.results = plain.results.map(withJoinedData);
    return plain;
  }
  const exact = await Promise.all(all.map(function (w) {
    if (!HAS_HAN.test(w)) return pagefind.search(w, opts);
    const chars = characters(w);
    return pagefind.search(chars.indexOf(" ") > 0 ? '"' + chars + '"' : chars, opts);
  }));
  if (exact.some(function (r) { return r === null; })) return null;  // a newer search replaced this one
  const ranked = await pagefind.search(all.map(characters).join(" "), opts);
  const order = new Map();
  ((ranked && ranked.results) || []).forEach(function (r, i) { order.set(r.id, i); });
  let kept = exact[0].results;
  exact.slice(1).forEach(function (other) {
    const ids = new Set(other.results.map(function (r) { return r.id; }));
    kept = kept.filter(function (r) { return ids.has(r.id); });
  });
  const rank = function (r) { return order.has(r.id) ? order.get(r.id) : Infinity; };
  const results = kept.map(function (r, i) { return { r: r, i: i }; })
    .sort(function (a, b) { return rank(a.r) - rank(b.r) || a.i - b.i; })
    .map(function (x) { return withJoinedData(x.r); });
  return Object.assign({}, exact[0], {
    results: results,
    unfilteredResultCount: exact.length === 1 ? exact[0].unfilteredResultCount : results.length,
  });
}

let pending = null;
/* As Pagefind's: only the last of quick successive calls searches; the others resolve to null. */
export function debouncedSearch(term, opts, wait) {
  if (pending) pending.resolve(null);
  return new Promise(function (resolve) {
    const me = { resolve: resolve };
    pending = me;
    setTimeout(function () {
      if (pending !== me) return;
      pending = null;
      search(term, opts).then(resolve, function () { resolve(null); });
    }, wait === undefined ? 300 : wait);
  });
}

export function preload(term, opts) {
  return pagefind.preload(words(term).map(characters).join(" "), opts);
}
