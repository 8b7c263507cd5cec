"""Serve a built site the way a production web server does: gzip for text, cache headers, on 127.0.0.1 only.

    python scripts/gzip_server.py SITE [--port 8000]

Lighthouse and the browser tests measure the site as visitors get it; Python's plain http.server sends
every file uncompressed, which makes a page look two to three times heavier than it is.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import os
import threading
from pathlib import Path

COMPRESSIBLE = {".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".csv", ".pf_meta"}
# Files named by their content's hash (Pagefind's index) may be cached for long; pages and assets briefly.
LONG_CACHE = ("/pagefind/", "/assets/")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as browsers get from real servers

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        url_path = self.path.split("?", 1)[0]
        if path.is_dir() and url_path.endswith("/"):
            path = path / "index.html"
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants_gzip and path.suffix in COMPRESSIBLE and path.is_file()):
            return super().send_head()  # directory redirects, binary files, clients without gzip, 404s
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "public, max-age=86400" if url_path.startswith(LONG_CACHE)
                         else "public, max-age=600")
        self.end_headers()
        return _Body(body)


class _Body:
    """What send_head returns: something copyfile() can read and the handler can close."""

    def __init__(self, data: bytes):
        self.data = data

    def read(self, size: int = -1) -> bytes:
        data, self.data = self.data, b""
        return data

    def close(self) -> None:
        pass


class GzipServer:
    """A threaded server on a free port of 127.0.0.1, stopped by close()."""

    def __init__(self, directory: Path, port: int = 0, handler_class: type = GzipHandler):
        handler = functools.partial(handler_class, directory=str(directory))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("site", type=Path)
    ap.add_argument("--port", type=int, default=8000)
    args = ap.parse_args()
    if not (args.site / "index.html").is_file():
        raise SystemExit(f"{args.site} 不是生成好的网站（缺少 index.html）")
    os.chdir(args.site)
    server = GzipServer(args.site.resolve(), args.port)
    print(f"网站：{server.base}（Ctrl+C 停止）")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.close()


if __name__ == "__main__":
    main()
