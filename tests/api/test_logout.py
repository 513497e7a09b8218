"""logout revokes the token it came with; the token is refused afterwards."""

from domain.audit.models import AuditEvent

LOGIN = """mutation($input: LoginInput!) { login(input: $input) { token errors { code } } }"""
LOGOUT = "mutation { logout { revoked errors { code } } }"


async def test_logout_revokes_the_token_and_records_it(gql, client, admin_token):
    token = (await gql(LOGIN, {"input": {"username": "admin", "password": "correct horse battery"}}))["login"]["token"]

    data = await gql(LOGOUT, token=token)
    after = await client.post("/graphql", json={"query": "{ viewer { id } }"},
                              headers={"Authorization": f"Bearer {token}"})

    assert data["logout"] == {"revoked": True, "errors": []}
    assert after.status_code == 401
    assert await AuditEvent.filter(action="logout").count() == 1


async def test_an_anonymous_logout_is_forbidden(gql, db):
    data = await gql(LOGOUT)

    assert data["logout"]["revoked"] is False
    assert data["logout"]["errors"] == [{"code": "FORBIDDEN"}]
