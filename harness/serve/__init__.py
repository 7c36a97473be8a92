"""`harness serve`: the analyst's workbench (see app.py for the library choice).

    from harness.serve import serve
    serve("rules", ["scenarios"], port=8765)      # blocks; http://127.0.0.1:8765/
"""

from harness.serve.app import create_app, serve, start
from harness.serve.state import State

__all__ = ["State", "create_app", "serve", "start"]
