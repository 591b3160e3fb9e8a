"""A property-based run of the API's own OpenAPI document: no input makes the server fail.

Schemathesis draws requests from the document, for every operation the API has, both
ones the document allows and ones it does not (negative mode: wrong types, numbers out of
range, missing fields), and sends them to the app in-process (WSGI). Half of them aim at
an article (or a newsletter issue) that exists, carrying its current ETag, so the writes
get past 404 and 412 and reach validation and the domain. The status operation runs with
a signed-in session.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error, status_code_conformance

from editions.accounts.roles import create_user
from editions.accounts.tokens import create_token
from tests.factories import make_article
from tests.test_newsletter import make_issue

EXAMPLES_PER_OPERATION = 20  # in each mode, positive and negative


def test_no_request_gets_a_server_error(app, client, session, editions, sign_in):
    make_article(session, editions, translate=("fa",))
    make_issue(session, editions, [16009], translate=("fa",))  # newsletter issue 128
    user = create_user(
        session, editions, username="cms", password="a long enough secret", role="coordinator"
    )
    _token, secret = create_token(session, user, "schemathesis")
    session.commit()
    sign_in(client, "admin", username="walker")
    cookie = client.get_cookie("session")
    assert cookie is not None
    auth = {"Authorization": f"Bearer {secret}", "Cookie": f"session={cookie.value}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    # Every operation of every /api/ route (the document itself is served, not drawn from).
    api_routes = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/") and rule.rule != "/api/v1/openapi.json"
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }
    assert len(operations) == len(api_routes) == 11

    for operation, mode in [
        (operation, mode) for operation in operations for mode in GenerationMode
    ]:
        # Out of the document's bounds (negative mode) any 4xx will do; never a 5xx.
        checks = [not_a_server_error]
        if mode is GenerationMode.POSITIVE:
            checks.append(status_code_conformance)

        @given(case=operation.as_strategy(generation_mode=mode), aim=st.booleans())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case, aim: bool) -> None:
            headers = dict(auth)
            if aim and case.path_parameters is not None and "number" in case.path_parameters:
                case.path_parameters["number"] = 128
                if case.method == "PUT":
                    path = "/api/v1/newsletters/128"
                    headers["If-Match"] = client.get(path, headers=auth).headers.get("ETag", "")
            elif aim and case.path_parameters is not None:
                case.path_parameters["article_id"] = 16009
                if case.method == "PUT":
                    edition = case.path_parameters.get("edition")
                    path = "/api/v1/articles/16009" + (f"/{edition}" if edition else "")
                    headers["If-Match"] = client.get(path, headers=auth).headers.get("ETag", "")
            response = case.call(headers=headers)
            case.validate_response(
                response,
                checks=checks,  # noqa: B023 - run() is called in this same iteration
                headers=headers,
            )

        run()
