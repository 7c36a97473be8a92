"""The one set of Jinja2 templates behind the HTML report and `harness serve` (autoescaped,
loaded from the package, so an installed harness needs no files beside it).

`.html` templates are autoescaped; `.css` and `.js` ones are not (they are trusted text of the
package, inlined into both the report and the web app's pages, which therefore load nothing)."""

from __future__ import annotations

from functools import cache

import jinja2

from harness.report.numbers import fmt


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("harness", "templates"),
        autoescape=jinja2.select_autoescape(["html"], default_for_string=True, default=True),
        undefined=jinja2.StrictUndefined,  # a misspelt name is an error in the tests, not a blank
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["fmt"] = fmt
    return env


def render(name: str, **context: object) -> str:
    return environment().get_template(name).render(**context)
