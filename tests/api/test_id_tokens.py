"""An ID token sent to the API is named as one, however few claims it has."""

from fastapi.testclient import TestClient

from tests.api import tokens


def test_an_openid_only_id_token_is_called_an_id_token(site: TestClient) -> None:
    id_token = tokens.password_grant(site, "alice", scope="openid")["id_token"]
    assert set(tokens.parts(id_token)[1]) <= {"iss", "sub", "aud", "iat", "exp", "auth_time"}
    response = site.get("/api/claims", headers=tokens.bearer(id_token))
    assert response.status_code == 401
    assert response.json()["check"] == "token_type"
    assert response.json()["detail"].startswith("This is an ID token (aud is the client web-app)")
