"""Sessions: tests, lint, typecheck (what CI runs), and bench."""

import nox

nox.options.sessions = ["lint", "typecheck", "tests"]
nox.options.reuse_existing_virtualenvs = True


@nox.session
def tests(session: nox.Session) -> None:
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    session.install("ruff>=0.6")
    session.run("ruff", "check", "harness", "tests", "noxfile.py", "tools")


@nox.session
def typecheck(session: nox.Session) -> None:
    session.install("-e", ".[dev]")
    session.run("mypy", "--strict", "harness")


@nox.session
def gate(session: nox.Session) -> None:
    """`nox -s gate -- REF`: the regression gate against REF (default: HEAD)."""
    session.install("-e", ".")
    ref = session.posargs[0] if session.posargs else "HEAD"
    session.run("harness", "gate", "--baseline", ref, *session.posargs[1:])


@nox.session
def bench(session: nox.Session) -> None:
    """Issue 9's table: throughput against a regex pass, workers, Dask, peak memory, 1,000 rules,
    the edit loop (medians of 3); `nox -s bench -- --tickets 20000 --big 0` for a quick run."""
    session.install("-e", ".[dask]")
    session.run("python", "tools/bench.py", *session.posargs)
