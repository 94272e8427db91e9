"""schemathesis against the OpenAPI schema on a live server, as a coordinator (a token).

Every operation gets a bounded number of generated requests (valid and invalid ones);
no answer may be a server error, and every answer must match the schema (problems
included). Runs in the normal suite in well under two minutes.
"""

import time

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = 4
# About 75 s alone on two cores; the guard catches a run that explodes, not a busy machine.
BUDGET_SECONDS = 300


@pytest.mark.django_db(transaction=True)
def test_the_api_answers_every_generated_request_within_its_schema(live_server, django_user_model):
    user = django_user_model.objects.create_superuser("schemathesis", "s@example.invalid", "x")
    token = Token.objects.create(user=user).key
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/?format=json")
    session = requests.Session()
    session.headers["Authorization"] = f"Token {token}"
    checks = [
        not_a_server_error,
        response_schema_conformance,
        status_code_conformance,
        content_type_conformance,
    ]
    failures = []
    started = time.monotonic()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 100
    for operation in operations:
        if "files/{fmt}" in operation.path:
            continue  # a file download, not JSON

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            if case.path_parameters and "plan" in case.path_parameters:
                case.path_parameters["plan"] = "liberec-2020"
            case.call_and_validate(base_url=live_server.url, session=session, checks=checks)

        try:
            run()
        except Exception as failure:  # collect them all, report at once
            failures.append(f"{operation.method.upper()} {operation.path}: {str(failure)[:3000]}")
    session.close()  # no keep-alive connection left to the live server when it stops
    elapsed = time.monotonic() - started
    assert not failures, "\n\n".join(failures)
    assert elapsed < BUDGET_SECONDS, f"schemathesis took {elapsed:.0f} s"
