"""`harness serve`: the analyst's workbench, a local web app over the rules and scenarios.

Built on Flask 3 (Pallets: maintained, typed, WSGI) because its templates are Jinja2, the library
the HTML report already renders with, so the report and the app share one set of templates and one
trace macro; its test client drives the API in unit tests without a socket; and it needs no
asset from the network. It is served by Werkzeug's threaded WSGI server (Flask's own dependency)
bound to 127.0.0.1 only: one analyst's browser on the same machine, no production traffic, so a
separate server (gunicorn, waitress) would add a dependency and nothing else. Host headers other
than 127.0.0.1/localhost are refused (TRUSTED_HOSTS), so a web page elsewhere cannot reach the
app through DNS rebinding. Rule and scenario files are only ever read as data.
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Sequence

from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from harness.contract import Contract, default_contract
from harness.errors import HarnessError, Location
from harness.serve.api import api
from harness.serve.state import State
from harness.serve.views import views
from harness.serve.watcher import Watcher

LOCAL_HOSTS = ("127.0.0.1", "localhost")


def create_app(state: State) -> Flask:
    """The app over a State (evaluate it first with `state.reload()`; the watcher re-evaluates)."""
    app = Flask("harness.serve")
    app.config["TRUSTED_HOSTS"] = list(LOCAL_HOSTS)
    # The route object in the order `harness route --json` prints it, text as text.
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.extensions["harness"] = state
    app.register_blueprint(api)
    app.register_blueprint(views)
    return app


def _check_port(host: str, port: int) -> None:
    """Werkzeug prints two lines and exits 1 on a busy port; the harness says so in one, exit 2.
    Tried before the first evaluation, so it is said at once."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as werkzeug binds
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise HarnessError.at(
                Location("harness"), f"--port {port}: cannot listen on {host}:{port} ({exc.strerror}); pick another port"
            ) from None


def start(
    rules: str,
    scenarios: Sequence[str],
    port: int = 0,
    host: str = "127.0.0.1",
    interval: float = 0.5,
    contract: Contract | None = None,
) -> tuple[BaseWSGIServer, Watcher, State]:
    """Evaluate, start watching, and bind the server (port 0: any free port, see `.server_port`);
    the caller runs `server.serve_forever()` and stops both. `contract`: the labels the rules and
    scenarios are loaded against (default: the bundled contract)."""
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError("harness serve binds the loopback interface only")
    state = State(rules, list(scenarios), default_contract() if contract is None else contract)
    _check_port(host, port)
    server = make_server(host, port, create_app(state), threaded=True)
    state.reload()
    watcher = Watcher([rules, *scenarios], state.reload, interval)
    watcher.start()
    return server, watcher, state


def serve(
    rules: str, scenarios: Sequence[str], port: int, host: str = "127.0.0.1", contract: Contract | None = None
) -> None:
    """Run the workbench until interrupted (Ctrl-C)."""
    server, watcher, state = start(rules, scenarios, port, host, contract=contract)
    status = state.status()
    if status.problems:
        print(f"{len(status.problems)} problems loading the rules or scenarios:", file=sys.stderr)
        for problem in status.problems:
            print(f"  {problem}", file=sys.stderr)
    print(f"harness serve: http://{host}:{server.server_port}/  (watching {rules} and "
          f"{', '.join(scenarios)}; Ctrl-C stops)", file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        watcher.stop()
        server.server_close()

