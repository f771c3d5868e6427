import re

from booking.accounts.services import issue_api_token
from booking.extensions import db


def _token(user):
    token = issue_api_token(user)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_me_with_a_token(client, member):
    response = client.get("/api/v1/me", headers=_token(member))
    assert response.status_code == 200
    assert response.json["email"] == member.email
    assert response.json["company"]["member_no"] == member.company.member_no


def test_me_without_a_token_is_401_json(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert set(response.json["error"]) == {"code", "message"}


def test_an_unknown_or_malformed_token_is_401(client):
    for header in ("Bearer nope", "Basic abc", "Bearer "):
        response = client.get("/api/v1/me", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert response.json["error"]["code"] == "unauthorized"


def test_unknown_api_paths_answer_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json["error"]["code"] == "not_found"


def test_wrong_method_answers_json_405(client):
    response = client.post("/api/v1/me")
    assert response.status_code == 405
    assert response.json["error"]["code"] == "method_not_allowed"


def test_openapi_describes_every_api_route(app, client):
    doc = client.get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.")
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = rule.rule.removeprefix("/api/v1")
        for part in ("int:", "string:"):
            path = path.replace(f"<{part}", "{")
        path = path.replace("<", "{").replace(">", "}")
        assert path in doc["paths"], f"{rule.rule} missing from the OpenAPI document"
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert method.lower() in doc["paths"][path], f"{method} {rule.rule} undocumented"


def test_api_limit_counts_per_token_not_per_address(app, make_user):
    app.config["API_RATE_LIMIT"] = "3 per minute"
    client = app.test_client()
    a, b = _token(make_user("member")), _token(make_user("member"))
    for _ in range(3):
        assert client.get("/api/v1/me", headers=a).status_code == 200
    assert client.get("/api/v1/me", headers=a).status_code == 429
    assert client.get("/api/v1/me", headers=b).status_code == 200  # same address, own budget


def test_every_operation_has_its_views_name_as_operation_id(client):
    doc = client.get("/api/v1/openapi.json").json
    ids = [op["operationId"] for ops in doc["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids))
    assert doc["paths"]["/events/{event_id}"]["get"]["operationId"] == "get_event"


def test_every_link_leads_to_an_operation_and_its_parameters(client):
    doc = client.get("/api/v1/openapi.json").json
    operations = {op["operationId"]: op for ops in doc["paths"].values() for op in ops.values()}
    found = 0
    for ops in doc["paths"].values():
        for op in ops.values():
            for response in op["responses"].values():
                for link in response.get("links", {}).values():
                    target = operations[link["operationId"]]
                    names = {p["name"] for p in target.get("parameters", [])}
                    assert set(link["parameters"]) <= names, link
                    if "requestBody" in link:
                        assert "requestBody" in target, link
                    found += 1
    assert found >= 10
    created = doc["paths"]["/events/{event_id}/registrations"]["post"]["responses"]["201"]
    assert created["links"]["delete_registration"]["parameters"] == {"reg_id": "$response.body#/id"}


def test_every_path_parameter_is_declared_and_required(client):
    """A `{name}` in a path without its declaration breaks every client generator and fuzzer."""
    doc = client.get("/api/v1/openapi.json").json
    for path, item in doc["paths"].items():
        named = set(re.findall(r"{(\w+)}", path))
        for method, operation in item.items():
            if method == "parameters":
                continue
            declared = {
                p["name"]: p
                for p in item.get("parameters", []) + operation.get("parameters", [])
                if p["in"] == "path"
            }
            assert set(declared) == named, f"{method.upper()} {path}: declares {set(declared)}"
            assert all(p["required"] for p in declared.values()), f"{method.upper()} {path}"
