"""The tests' apps share parsed URL rules (`tests/conftest.py`, `_RuleOfManyApps`): an app built
from the shared parse routes and builds exactly as one built by Werkzeug's own `Rule`, so a
Werkzeug upgrade that changes what a rule holds fails here, not somewhere obscure."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import Rule

from booking import create_app
from tests.conftest import app_settings


def _rules(app) -> dict:
    return {
        (rule.endpoint, rule.rule): (
            [(p.content, p.final, p.static, p.suffixed, p.weight) for p in rule._parts],
            list(rule._trace),
            sorted(rule.arguments),
            rule.defaults,
            rule.subdomain,
            rule.host,
            [
                (name, type(c), c.regex, c.weight, c.map is app.url_map)
                for name, c in rule._converters.items()
            ],
        )
        for rule in app.url_map.iter_rules()
    }


def test_shared_parses_give_the_rules_werkzeug_gives(database_url, monkeypatch):
    shared_first = create_app(app_settings(database_url))
    shared_again = create_app(app_settings(database_url))  # from the shared parses
    monkeypatch.setattr(Flask, "url_rule_class", Rule)
    plain = create_app(app_settings(database_url))

    assert type(next(plain.url_map.iter_rules())) is Rule
    assert _rules(shared_again) == _rules(plain) == _rules(shared_first)
    with shared_again.test_request_context(), plain.test_request_context():
        adapters = [a.url_map.bind("localhost") for a in (shared_again, plain)]
        for rule in plain.url_map.iter_rules():
            if rule.arguments or rule.endpoint == "static":
                continue
            method = next(m for m in ("GET", "POST", "PUT", "PATCH", "DELETE") if m in rule.methods)
            built = [a.build(rule.endpoint, method=method) for a in adapters]
            assert built[0] == built[1]
            assert adapters[0].match(built[0], method=method)[0] == rule.endpoint
