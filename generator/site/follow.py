"""Work the preview does after a rebuild, while the browser already shows the edited page.

MkDocs' preview server answers requests only once a rebuild has finished. The boards, the handbook and the search
index are whole-site products (seconds each at thousands of records), so under ``mkdocs serve`` they follow the
rebuild on one thread: the newest request replaces one not yet started, and one runs at a time, so the last edit's
products are the ones left in the folder. ``mkdocs build`` makes them before it finishes, as before.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable


class Follower:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: Callable[[], None] | None = None
        self._running = False
        self.idle = threading.Event()  # set while nothing is pending or running (tests and the bench wait on it)
        self.idle.set()

    def submit(self, job: Callable[[], None]) -> None:
        with self._lock:
            self._pending = job
            self.idle.clear()
            if not self._running:
                self._running = True
                threading.Thread(target=self._run, name="sunshine-follow", daemon=True).start()

    def _run(self) -> None:
        while True:
            with self._lock:
                job, self._pending = self._pending, None
                if job is None:
                    self._running = False
                    self.idle.set()
                    return
            try:
                job()
            except Exception as e:  # the preview stays up; the message says what is missing and why
                print(f"提示：预览的公示板、汇编本或搜索索引没有更新：{e}", file=sys.stderr, flush=True)
