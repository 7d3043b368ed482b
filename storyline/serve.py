"""`python build.py serve`: build, serve the site on 127.0.0.1, rebuild on change, reload pages.

The files on disk are the built site as published; only the served copies of HTML pages get a
small script, whose request for the build state waits at the server until that state changes,
so a newer build reloads the page as soon as it is written; a failed one shows its error over
the page, while the last good site stays served (a failed build never writes); a build's
warnings are printed as a build prints them and shown over the page too. On a loopback address
only requests to loopback host names are answered, so that a web page cannot reach the server
through a name of its own (DNS rebinding).
"""

from __future__ import annotations

import functools
import ipaddress
import json
import os
import re
import sys
import threading
import traceback
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from watchfiles import watch

from .cli import print_diagnostics
from .model import Diagnostic
from .pipeline import BuildOptions, BuildResult, build, templates_folder
from .write import previous_digest

STATUS = "/__storyline/status"
DEBOUNCE_MS = 300
RELOADER = """
<script>
(function () {
  var seen = null, dismissed = null;
  function show(id, role, text, background) {
    var box = document.getElementById(id);
    if (!text) { if (box) box.remove(); return null; }
    if (!box) {
      box = document.createElement("pre");
      box.id = id;
      box.setAttribute("role", role);
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:40vh;overflow:auto;" +
        "margin:0;padding:1rem;color:#fff;font:14px/1.4 monospace;white-space:pre-wrap;" +
        "z-index:99999;background:" + background;
      document.body.append(box);
    }
    box.textContent = text;
    return box;
  }
  // Each request waits at the server until the state differs from the version this page
  // last saw, so a finished build reloads the page at once rather than at the next poll.
  function check(version) {
    // Only a visible page waits at the server: a browser keeps six connections to a host, and
    // a waiting request per open tab could take them all. A hidden page asks every second.
    var waits = version !== null && document.visibilityState === "visible";
    var query = waits ? "?seen=" + version : "";
    fetch("STATUS_URL" + query, {cache: "no-store"}).then(function (r) { return r.json(); })
    .then(function (s) {
      if (seen === null) seen = s.build;
      if (s.build !== seen) { location.reload(); return; }
      show("storyline-build-error", "alert", s.error &&
        "Build failed; showing the last good site.\\n\\n" + s.error, "#5a1010");
      var warnings = !s.error && s.warnings.length ? "The build's warnings (" +
        s.warnings.length + "; click to hide):\\n\\n" + s.warnings.join("\\n") : "";
      var box = show("storyline-build-warnings", "status", warnings !== dismissed && warnings,
        "#4d3a00");
      if (box) box.onclick = function () { dismissed = warnings; box.remove(); };
      if (waits || version === null) check(s.version);
      else setTimeout(function () { check(s.version); }, 1000);
    }).catch(function () { setTimeout(function () { check(null); }, 1000); });
  }
  check(null);
})();
</script>
""".replace("STATUS_URL", STATUS)


STATUS_WAIT_S = 20  # how long a status request waits for news before answering anyway


@dataclass
class State:
    """The server's view of the builds: how many succeeded, the last error, and the warnings
    of the site being served (None until known); `version` counts the changes to them, and
    `changed` wakes the status requests waiting for one."""

    build: int = 0
    error: str | None = None
    warnings: list[str] | None = None
    version: int = 0
    changed: threading.Condition = field(default_factory=threading.Condition)

    def update(self, **values) -> None:
        with self.changed:
            for name, value in values.items():
                setattr(self, name, value)
            self.version += 1
            self.changed.notify_all()

    def answer(self, seen: int | None) -> dict:
        """The state as the status URL gives it, once its version differs from `seen` (or
        after STATUS_WAIT_S: the page asks again), or at once without `seen`."""
        with self.changed:
            if seen is not None:
                self.changed.wait_for(lambda: self.version != seen, timeout=STATUS_WAIT_S)
            return {
                "build": self.build,
                "error": self.error,
                "warnings": self.warnings or [],
                "version": self.version,
            }


def serve(options: BuildOptions, host: str = "127.0.0.1", port: int = 8000) -> None:
    state = State()

    def rebuild() -> BuildResult | None:
        try:
            result = build(options)
        except Exception as error:  # any failure: keep the last good site, show why
            state.update(error=_message(error))
            print(f"build failed: {state.error}", file=sys.stderr, flush=True)
            return None
        found = result.digest.diagnostics if result.digest else None
        if found is None and state.warnings is None:  # an earlier session's site, up to date
            found = _warnings_of_site(options.output)
        if found is not None:
            print_diagnostics(found)
        state.update(
            build=state.build + (0 if result.unchanged else 1),  # pages reload only for news
            error=None,
            warnings=state.warnings if found is None else [str(d) for d in found],
        )
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


def _warnings_of_site(output: Path) -> list[Diagnostic]:
    """The warnings of the site in `output`, from its digest.json."""
    digest = previous_digest(output) or {}
    try:
        return [Diagnostic(**warning) for warning in digest.get("warnings") or []]
    except TypeError:  # not the shape this tool writes: nothing to show
        return []


LOOPBACK_HOST = re.compile(
    r"(?:\[(?P<ipv6>[0-9a-f:.]+)\]|(?P<name>[^\[\]:/@]+))(?::\d{1,5})?", re.I
)


def host_allowed(host: str | None, bound: str) -> bool:
    """Whether a request with this Host header is answered by a server bound to the address
    `bound`: on a loopback address, only for localhost (and its subdomains), 127.x.x.x and
    [::1], with or without a port, as development servers do against DNS rebinding; on any
    other address, the user chose to expose the site, for any host."""
    if not ipaddress.ip_address(bound).is_loopback:
        return True
    found = LOOPBACK_HOST.fullmatch(host or "")
    if not found:
        return False
    name = (found["name"] or "").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(found["ipv6"] or name).is_loopback
    except ValueError:  # a name other than localhost's
        return False


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
    the build state; a request to a host name `host_allowed` refuses gets 403."""

    def __init__(self, root: Path, state: State, *args, **kwargs):
        self.state = state
        super().__init__(*args, directory=str(root), **kwargs)

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        if host_allowed(self.headers.get("Host"), self.server.server_address[0]):
            return True
        self.send_error(
            403,
            "Host name not allowed",
            "This server is on a loopback address and answers only localhost, 127.x.x.x and "
            "[::1]; serve with --host to answer other names.",
        )
        return False

    def do_GET(self) -> None:  # noqa: N802 (the http.server name)
        if self.path.split("?")[0] == STATUS:
            seen = parse_qs(urlsplit(self.path).query).get("seen", [""])[0]
            answer = self.state.answer(int(seen) if seen.isdigit() else None)
            self._send(200, "application/json", json.dumps(answer).encode())
            return
        # os.path's tests, unlike Path's, say False, not raise, for a name that no file can
        # have (a path segment over 255 bytes): such a path is simply not found
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?")[0].endswith("/"):
            path = os.path.join(path, "index.html")
        if not os.path.exists(path) and (page := Path(self.directory) / "404.html").is_file():
            self._send(404, "text/html; charset=utf-8", _with_reloader(page))
            return
        if path.endswith(".html") and os.path.isfile(path):
            self._send(200, "text/html; charset=utf-8", _with_reloader(Path(path)))
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
