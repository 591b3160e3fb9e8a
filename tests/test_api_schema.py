"""A property-based run of the API's own OpenAPI document: no input makes the server fail.

Schemathesis draws requests from the document and sends them to the app in-process
(WSGI). Half of them aim at an article that exists, carrying its current ETag, so the
writes get past 404 and 412 and reach validation and the domain.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error, status_code_conformance

from editions.accounts import create_user
from editions.tokens import create_token
from tests.factories import make_article

EXAMPLES_PER_OPERATION = 40


def test_no_request_the_document_allows_gets_a_server_error(app, client, session, editions):
    make_article(session, editions, translate=("fa",))
    user = create_user(
        session, editions, username="cms", password="a long enough secret", role="coordinator"
    )
    _token, secret = create_token(session, user, "schemathesis")
    session.commit()
    auth = {"Authorization": f"Bearer {secret}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 7

    for operation in operations:

        @given(case=operation.as_strategy(), aim=st.booleans())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case, aim: bool) -> None:
            headers = dict(auth)
            if aim and case.path_parameters is not None:
                case.path_parameters["article_id"] = 16009
                if case.method == "PUT":
                    edition = case.path_parameters.get("edition")
                    path = "/api/v1/articles/16009" + (f"/{edition}" if edition else "")
                    headers["If-Match"] = client.get(path, headers=auth).headers.get("ETag", "")
            response = case.call(headers=headers)
            case.validate_response(
                response, checks=[not_a_server_error, status_code_conformance], headers=headers
            )

        run()
