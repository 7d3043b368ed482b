"""`python build.py serve`: build, serve the site on 127.0.0.1, rebuild on change, reload pages.

The files on disk are the built site as published; only the served copies of HTML pages get a
small script, which asks the server every second which build it is on. A newer build reloads
the page; a failed one shows its error over the page, while the last good site stays served
(a failed build never writes).
"""

from __future__ import annotations

import functools
import json
import sys
import threading
import traceback
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from watchfiles import watch

from .pipeline import BuildOptions, BuildResult, build, templates_folder

STATUS = "/__storyline/status"
DEBOUNCE_MS = 300
RELOADER = """
<script>
(function () {
  var seen = null, box = null;
  function check() {
    fetch("STATUS_URL", {cache: "no-store"}).then(function (r) { return r.json(); })
    .then(function (s) {
      if (seen === null) seen = s.build;
      if (s.build !== seen) { location.reload(); return; }
      if (s.error && !box) {
        box = document.createElement("pre");
        box.id = "storyline-build-error";
        box.setAttribute("role", "alert");
        box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:50vh;overflow:auto;" +
          "margin:0;padding:1rem;background:#5a1010;color:#fff;font:14px/1.4 monospace;" +
          "white-space:pre-wrap;z-index:99999";
        document.body.append(box);
      }
      if (box) {
        box.hidden = !s.error;
        box.textContent = "Build failed; showing the last good site.\\n\\n" + (s.error || "");
      }
    }).catch(function () {}).then(function () { setTimeout(check, 1000); });
  }
  check();
})();
</script>
""".replace("STATUS_URL", STATUS)


@dataclass
class State:
    """The server's view of the builds: how many succeeded, the last error."""

    build: int = 0
    error: str | None = None


def serve(options: BuildOptions, host: str = "127.0.0.1", port: int = 8000) -> None:
    state = State()
    lock = threading.Lock()

    def rebuild() -> BuildResult | None:
        try:
            result = build(options)
        except Exception as error:  # any failure: keep the last good site, show why
            with lock:
                state.error = _message(error)
            print(f"build failed: {state.error}", file=sys.stderr, flush=True)
            return None
        with lock:
            state.build += 0 if result.unchanged else 1  # open pages reload only for news
            state.error = None
        made = "nothing changed" if result.unchanged else f"built {result.pages} pages"
        print(f"{made} from {result.read} articles in {result.seconds:.2f} s", flush=True)
        return result

    rebuild()
    server = ThreadingHTTPServer((host, port), functools.partial(_Handler, options.output, state))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"serving {options.output}/ at http://{host}:{server.server_address[1]}/ (Ctrl-C stops)")
    watched = [p for p in _watched(options) if p.exists()]
    try:
        for changes in watch(*watched, debounce=DEBOUNCE_MS, raise_interrupt=False):
            names = ", ".join(sorted({Path(path).name for _, path in changes}))
            print(f"changed: {names}; rebuilding", flush=True)
            rebuild()
    finally:
        server.shutdown()


def _watched(options: BuildOptions) -> list[Path]:
    return [options.content, templates_folder(options), options.config]


def _message(error: Exception) -> str:
    if isinstance(error, (OSError, ValueError)) or type(error).__module__.startswith("storyline"):
        return str(error)
    return "".join(traceback.format_exception_only(error)).strip()


def _with_reloader(page: Path) -> bytes:
    html = page.read_text(encoding="utf-8")
    at = html.rfind("</body>")
    return (html[:at] + RELOADER + html[at:] if at >= 0 else html + RELOADER).encode()


class _Handler(SimpleHTTPRequestHandler):
    """Static files from the output folder; HTML pages get the reloader; STATUS answers with
    the build state."""

    def __init__(self, root: Path, state: State, *args, **kwargs):
        self.state = state
        super().__init__(*args, directory=str(root), **kwargs)

    def do_GET(self) -> None:  # noqa: N802 (the http.server name)
        if self.path.split("?")[0] == STATUS:
            body = json.dumps({"build": self.state.build, "error": self.state.error}).encode()
            self._send(200, "application/json", body)
            return
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        if not path.exists() and (path := Path(self.directory) / "404.html").is_file():
            self._send(404, "text/html; charset=utf-8", _with_reloader(path))
            return
        if path.suffix == ".html" and path.is_file():
            self._send(200, "text/html; charset=utf-8", _with_reloader(path))
            return
        super().do_GET()

    def _send(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass
