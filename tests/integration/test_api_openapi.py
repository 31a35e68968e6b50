"""The OpenAPI document describes every route, its answers and its errors."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

ROUTES = {
    ("get", "/api/v1/me"),
    ("get", "/api/v1/channels"),
    ("post", "/api/v1/channels"),
    ("get", "/api/v1/channels/{channel_id}"),
    ("get", "/api/v1/posts"),
    ("post", "/api/v1/posts"),
    ("get", "/api/v1/posts/{post_id}"),
    ("patch", "/api/v1/posts/{post_id}"),
    ("post", "/api/v1/posts/{post_id}/submit"),
    ("post", "/api/v1/posts/{post_id}/approve"),
    ("post", "/api/v1/posts/{post_id}/reject"),
    ("post", "/api/v1/posts/{post_id}/cancel"),
    ("post", "/api/v1/posts/{post_id}/images"),
    ("post", "/api/v1/deliveries/{delivery_id}/retry"),
    ("get", "/api/v1/conversations"),
    ("get", "/api/v1/conversations/counts"),
    ("get", "/api/v1/conversations/{conversation_id}"),
    *(
        ("post", f"/api/v1/conversations/{{conversation_id}}/{action}")
        for action in ("reply", "assign", "close", "reopen", "waiting", "notes")
    ),
    *(
        ("post", f"/api/v1/conversations/{{conversation_id}}/messages/{{message_id}}/{action}")
        for action in ("triage", "approve", "reject", "retry")
    ),
    ("post", "/api/v1/triage"),
    ("get", "/api/v1/inbox/sla"),
    ("put", "/api/v1/inbox/sla"),
    ("get", "/api/v1/saved-replies"),
    ("post", "/api/v1/saved-replies"),
    ("patch", "/api/v1/saved-replies/{saved_reply_id}"),
    ("delete", "/api/v1/saved-replies/{saved_reply_id}"),
    ("get", "/api/v1/automations"),
    ("post", "/api/v1/automations"),
    ("get", "/api/v1/automations/{automation_id}"),
    ("patch", "/api/v1/automations/{automation_id}"),
    ("delete", "/api/v1/automations/{automation_id}"),
    ("post", "/api/v1/automations/{automation_id}/pause"),
    ("post", "/api/v1/automations/{automation_id}/resume"),
    ("post", "/api/v1/automations/{automation_id}/run"),
    ("get", "/api/v1/automations/{automation_id}/dry-run"),
    ("get", "/api/v1/channels/{channel_id}/guardrails"),
    ("patch", "/api/v1/channels/{channel_id}/guardrails"),
    ("get", "/api/v1/automation-share"),
    ("get", "/api/v1/suggestions"),
    ("get", "/api/v1/suggestions/{suggestion_id}"),
    ("patch", "/api/v1/suggestions/{suggestion_id}"),
    ("post", "/api/v1/suggestions/{suggestion_id}/approve"),
    ("post", "/api/v1/suggestions/{suggestion_id}/skip"),
    ("post", "/api/v1/suggestions/bulk"),
    ("get", "/api/v1/sources"),
    ("post", "/api/v1/sources"),
    ("get", "/api/v1/sources/{source_id}"),
    ("patch", "/api/v1/sources/{source_id}"),
    ("delete", "/api/v1/sources/{source_id}"),
    ("post", "/api/v1/sources/{source_id}/refresh"),
    ("post", "/api/v1/sources/{source_id}/use-feed"),
    ("get", "/api/v1/sources/{source_id}/items"),
}
# Routes every role may call: no 403 to document.
FOR_EVERYONE = {"/api/v1/me", "/api/v1/triage"}


def _spec(client: TestClient) -> dict[str, Any]:
    resp = client.get("/api/openapi.json")
    assert resp.status_code == 200
    return resp.json()  # type: ignore[no-any-return]


def test_every_route_is_listed_and_no_page_is(client: TestClient) -> None:
    spec = _spec(client)
    listed = {(m, p) for p, ops in spec["paths"].items() for m in ops}
    assert listed == ROUTES


def test_every_operation_is_documented_with_its_errors(client: TestClient) -> None:
    spec = _spec(client)
    assert "token" in spec["components"]["securitySchemes"]
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            where = f"{method.upper()} {path}"
            assert op.get("summary"), where
            assert op.get("tags"), where
            assert {"token": []} in op.get("security", []), where
            errors = {s: r for s, r in op["responses"].items() if s.startswith(("4", "5"))}
            assert "401" in errors, where
            for status, resp in errors.items():
                ref = resp["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/ErrorOut"), (where, status)
            if method != "get":
                assert "403" in errors or path in FOR_EVERYONE, where
            if "{" in path:
                assert "404" in errors, where
            ok = next(s for s in op["responses"] if s.startswith("2"))
            if ok != "204":  # No Content (a deletion) has no body
                assert op["responses"][ok]["content"]["application/json"]["schema"], where


def test_the_post_shape_is_described(client: TestClient) -> None:
    schemas = _spec(client)["components"]["schemas"]
    post = schemas["PostOut"]["properties"]
    for field in (
        "state",
        "text",
        "variants",
        "scheduled_at",
        "author",
        "review_comment",
        "version",
        "images",
        "deliveries",
    ):
        assert field in post, field
    delivery = schemas["DeliveryOut"]["properties"]
    for field in (
        "channel",
        "state",
        "attempts",
        "last_error",
        "remote_id",
        "remote_url",
        "published_at",
    ):
        assert field in delivery, field
    assert set(schemas["PostState"]["enum"]) == {
        "draft",
        "awaiting_approval",
        "scheduled",
        "published",
        "failed",
        "cancelled",
    }
    assert "workspace" in schemas["PostCreate"]["properties"]["scheduled_at"]["description"]
    assert schemas["PostUpdate"]["required"] == ["version"]
    assert schemas["RejectIn"]["required"] == ["comment"]
    channel = schemas["ChannelOut"]["properties"]
    assert {"health", "capabilities", "status", "kind"} <= set(channel)
