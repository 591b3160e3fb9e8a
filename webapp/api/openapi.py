"""The OpenAPI 3 document of the JSON API, served at ``/api/v1/openapi.json``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from editions.content.status import Status
from editions.core.models import PublicationState, Section
from editions.newsletter.models import MAX_ITEMS, MissingItems
from editions.text.segmentation import MAX_BODY_CHARACTERS, MAX_SEGMENT_CHARACTERS
from webapp.api.validation import MAX_ID
from webapp.problems import MEDIA_TYPE

MAX_NUMBER = 1_000_000  # the highest newsletter issue number the API takes
ETAG = {"ETag": {"schema": {"type": "string"}, "description": "The version read."}}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _request(name: str) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": _ref(name)}}}


def _versioned(name: str, description: str) -> dict[str, Any]:
    """A response carrying a version of the resource, named by its ETag."""
    return {**_json(_ref(name), description), "headers": ETAG}


def _returned(properties: dict[str, Any], optional: Sequence[str] = ()) -> dict[str, Any]:
    """An object the API returns: every property present unless named optional."""
    required = [name for name in properties if name not in optional]
    return {"type": "object", "required": required, "properties": properties}


def _errors(*codes: int) -> dict[str, Any]:
    text = {
        401: "No valid API token.",
        403: "The token's user may not do this.",
        404: "No such article, edition or counterpart.",
        409: "The article exists already, or this is the source edition.",
        412: "If-Match names an older version (read again), or a counterpart not yet written.",
        422: "Invalid fields, named in `fields`, or a text the quality checks refuse.",
        428: "If-Match is missing, or is `*`: send the ETag you read.",
        503: "Other writers held what this request needed for too long; nothing changed. "
        "Send it again after `Retry-After` seconds.",
    }
    responses = {
        str(code): {
            "description": text[code],
            "content": {MEDIA_TYPE: {"schema": _ref("Problem")}},
        }
        for code in (*codes, 503)
    }
    responses["503"]["headers"] = {
        "Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}
    }
    return responses


def _newsletter_paths(
    if_match: dict[str, Any], edition: dict[str, Any], text: dict[str, Any]
) -> dict[str, Any]:
    number = {
        "name": "number",
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_NUMBER},
    }
    return {
        "/api/v1/newsletters": {
            "get": {
                "operationId": "listNewsletters",
                "summary": "Newsletter issues, newest first, with their readiness per edition",
                "responses": {
                    "200": _json(_ref("NewsletterList"), "The newest 100 issues."),
                    **_errors(401),
                },
            },
            "post": {
                "operationId": "createNewsletter",
                "summary": "A new issue: its text (an article of the newsletter section) "
                "and its composition",
                "requestBody": _request("NewNewsletter"),
                "responses": {
                    "201": _versioned("Newsletter", "Created."),
                    **_errors(401, 403, 409, 422),
                },
            },
        },
        "/api/v1/newsletters/{number}": {
            "parameters": [number],
            "get": {
                "operationId": "getNewsletter",
                "summary": "An issue's composition and readiness; its text is the article "
                "`article_id`",
                "responses": {
                    "200": _versioned("Newsletter", "The issue."),
                    **_errors(401, 404),
                },
            },
            "put": {
                "operationId": "composeNewsletter",
                "summary": "Replace the composition: articles in order, teasers, policy",
                "parameters": [if_match],
                "requestBody": _request("Composition"),
                "responses": {
                    "200": _versioned("Newsletter", "Composed."),
                    **_errors(401, 403, 404, 412, 422, 428),
                },
            },
        },
    }


def _newsletter_schemas(
    edition: dict[str, Any], text: dict[str, Any], status: dict[str, Any]
) -> dict[str, Any]:
    policy = {
        "type": "string",
        "enum": [member.value for member in MissingItems],
        "description": "What an edition does with an article it has no current counterpart "
        "of: leave it out, or link the original with a note.",
    }
    items = {
        "type": "array",
        "maxItems": MAX_ITEMS,
        "items": {
            "type": "object",
            "additionalProperties": False,
            "required": ["article_id"],
            "properties": {
                "article_id": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                "teaser": {
                    "type": "string",
                    "maxLength": MAX_SEGMENT_CHARACTERS,
                    "description": "Empty: the article's summary in each edition.",
                },
            },
        },
    }
    ids = {"type": "array", "items": {"type": "integer"}}
    readiness = {
        "type": "object",
        "description": "By edition code.",
        "additionalProperties": {
            "type": "object",
            "required": ["ready", "text", "missing", "draft", "stale"],
            "properties": {
                "ready": {"type": "boolean"},
                "text": status,
                "missing": ids,
                "draft": ids,
                "stale": ids,
            },
        },
    }
    return {
        "Composition": {
            "type": "object",
            "additionalProperties": False,
            "required": ["items"],
            "properties": {"items": items, "missing_items": policy},
        },
        "NewNewsletter": {
            "type": "object",
            "additionalProperties": False,
            "required": ["number", "date", "source_edition", "title", "body", "items"],
            "properties": {
                "number": {"type": "integer", "minimum": 1, "maximum": MAX_NUMBER},
                "date": {"type": "string", "format": "date"},
                "source_edition": edition,
                **text,
                "items": items,
                "missing_items": policy,
            },
        },
        "Newsletter": _returned(
            {
                "number": {"type": "integer"},
                "article_id": {"type": "integer"},
                "source_edition": {"type": "string"},
                "date": {"type": "string", "format": "date"},
                "title": {"type": "string"},
                "items": items,
                "missing_items": policy,
                "readiness": readiness,
            }
        ),
        "NewsletterList": {
            "type": "object",
            "required": ["items"],
            "properties": {
                "items": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["number", "article_id", "date", "readiness"],
                        "properties": {
                            "number": {"type": "integer"},
                            "article_id": {"type": "integer"},
                            "date": {"type": "string", "format": "date"},
                            "readiness": readiness,
                        },
                    },
                }
            },
        },
    }


def openapi_document(editions: Sequence[str]) -> dict[str, Any]:
    edition = {"type": "string", "enum": list(editions)}
    state = {"type": "string", "enum": [member.value for member in PublicationState]}
    section = {"type": "string", "enum": [member.value for member in Section]}
    status = {"type": "string", "enum": [member.value for member in Status]}
    text = {
        "title": {"type": "string", "minLength": 1, "maxLength": 1000},
        "summary": {"type": "string", "maxLength": MAX_SEGMENT_CHARACTERS},
        "body": {"type": "string", "maxLength": MAX_BODY_CHARACTERS, "description": "Markdown"},
        "state": state,
    }
    # Responses may hold what requests may not (an untranslated counterpart has no title).
    text_out = {name: {"type": "string"} for name in ("title", "summary", "body")}
    metadata = {
        "section": section,
        "date": {"type": "string", "format": "date"},
        "author": {"type": "string", "minLength": 1, "maxLength": 200},
        "tags": {
            "type": "array",
            "maxItems": 50,
            "items": {"type": "string", "minLength": 1, "maxLength": 100},
        },
    }
    counts = {
        name: {"type": "integer"}
        for name in (
            "segments",
            "segments_to_translate",
            "segments_stale",
            "words",
            "words_to_translate",
            "words_stale",
        )
    }
    article_id = {
        "name": "article_id",
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    }
    edition_param = {"name": "edition", "in": "path", "required": True, "schema": edition}
    if_match = {
        "name": "If-Match",
        "in": "header",
        "required": False,
        "description": "The ETag of the version the change starts from (required to update).",
        "schema": {"type": "string"},
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Editions API",
            "version": "1",
            "description": "Articles, their counterparts in every edition, and their status; "
            "newsletter issues composed from articles, with their readiness per edition.",
        },
        "servers": [{"url": "/"}],
        "security": [{"token": []}],
        "paths": {
            "/api/v1/articles": {
                "get": {
                    "operationId": "listArticles",
                    "summary": "Articles, newest id first, with the status of every edition",
                    "parameters": [
                        {
                            "name": "limit",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 1, "maximum": 100},
                        },
                        {
                            "name": "offset",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 0, "maximum": MAX_ID},
                        },
                        {"name": "section", "in": "query", "schema": section},
                        {"name": "edition", "in": "query", "schema": edition},
                        {
                            "name": "status",
                            "in": "query",
                            "schema": status,
                            "description": "Needs edition.",
                        },
                    ],
                    "responses": {
                        "200": _json(_ref("ArticleList"), "A page of articles."),
                        **_errors(401, 422),
                    },
                },
                "post": {
                    "operationId": "createArticle",
                    "summary": "Write a new source article",
                    "requestBody": _request("NewArticle"),
                    "responses": {
                        "201": _versioned("Article", "Created."),
                        **_errors(401, 403, 409, 422),
                    },
                },
            },
            "/api/v1/articles/{article_id}": {
                "parameters": [article_id],
                "get": {
                    "operationId": "getArticle",
                    "summary": "An article's source text, metadata and statuses",
                    "responses": {
                        "200": _versioned("Article", "The article."),
                        **_errors(401, 404),
                    },
                },
                "put": {
                    "operationId": "updateArticle",
                    "summary": "Revise the source; metadata left out keeps its value",
                    "parameters": [if_match],
                    "requestBody": _request("ArticleUpdate"),
                    "responses": {
                        "200": _versioned("Article", "Revised."),
                        **_errors(401, 403, 404, 412, 422, 428),
                    },
                },
            },
            "/api/v1/articles/{article_id}/{edition}": {
                "parameters": [article_id, edition_param],
                "get": {
                    "operationId": "getCounterpart",
                    "summary": "One edition of an article, with its status",
                    "responses": {
                        "200": _versioned("Counterpart", "The counterpart."),
                        **_errors(401, 404),
                    },
                },
                "put": {
                    "operationId": "writeCounterpart",
                    "summary": "A whole translation, block for block like the source",
                    "parameters": [if_match],
                    "requestBody": _request("CounterpartText"),
                    "responses": {
                        "200": _versioned("Counterpart", "Updated."),
                        "201": _versioned("Counterpart", "Created."),
                        **_errors(401, 403, 404, 409, 412, 422, 428),
                    },
                },
            },
            **_newsletter_paths(if_match, edition, text),
            "/api/v1/status": {
                "get": {
                    "operationId": "getStatus",
                    "summary": "The dashboard's data, filtered (JSON, or CSV with format=csv)",
                    "security": [{"token": []}, {"session": []}],
                    "parameters": [
                        {"name": "edition", "in": "query", "schema": {"type": "string"}},
                        {"name": "status", "in": "query", "schema": {"type": "string"}},
                        {"name": "section", "in": "query", "schema": {"type": "string"}},
                        {"name": "source", "in": "query", "schema": {"type": "string"}},
                        {"name": "q", "in": "query", "schema": {"type": "string"}},
                        {"name": "sort", "in": "query", "schema": {"type": "string"}},
                        {"name": "page", "in": "query", "schema": {"type": "string"}},
                        {"name": "per_page", "in": "query", "schema": {"type": "string"}},
                        {"name": "mine", "in": "query", "schema": {"type": "string"}},
                        {"name": "format", "in": "query", "schema": {"type": "string"}},
                    ],
                    "responses": {
                        "200": {
                            "description": "Every counterpart shown, with the summary.",
                            "content": {
                                "application/json": {"schema": {"type": "object"}},
                                "text/csv": {"schema": {"type": "string"}},
                            },
                        },
                        **_errors(401),
                    },
                },
            },
            "/api/v1/openapi.json": {
                "get": {
                    "operationId": "getOpenAPI",
                    "summary": "This document",
                    "security": [],
                    "responses": {"200": _json({"type": "object"}, "The OpenAPI document.")},
                },
            },
        },
        "components": {
            "securitySchemes": {
                "token": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
            "schemas": {
                "Problem": {
                    "type": "object",
                    "description": "RFC 9457 problem details.",
                    "required": ["type", "title", "status", "detail"],
                    "properties": {
                        "type": {"type": "string"},
                        "title": {"type": "string"},
                        "status": {"type": "integer"},
                        "detail": {"type": "string"},
                        "fields": {
                            "type": "object",
                            "description": "Invalid fields: what is wrong with each.",
                            "additionalProperties": {"type": "string"},
                        },
                    },
                },
                "Status": {
                    "type": "object",
                    "required": ["status", *counts],
                    "properties": {"status": status, **counts},
                },
                "Statuses": {
                    "type": "object",
                    "description": "By edition code.",
                    "additionalProperties": _ref("Status"),
                },
                "NewArticle": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["source_edition", "section", "date", "title", "body"],
                    "properties": {
                        "id": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                        "source_edition": edition,
                        **metadata,
                        **text,
                    },
                },
                "ArticleUpdate": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["title", "body"],
                    "properties": {
                        **metadata,
                        **text,
                        "minor": {"type": "boolean", "description": "Keeps translations current."},
                        "note": {
                            "type": "string",
                            "maxLength": 1000,
                            "description": "Why (minor).",
                        },
                    },
                },
                "Article": _returned(
                    {
                        "id": {"type": "integer"},
                        "source_edition": {"type": "string"},
                        **metadata,
                        "author": {"type": "string", "nullable": True},
                        **text_out,
                        "state": state,
                        "statuses": _ref("Statuses"),
                    },
                    optional=["author"],
                ),
                "ArticleList": _returned(
                    {
                        "items": {
                            "type": "array",
                            "items": _returned(
                                {
                                    "id": {"type": "integer"},
                                    "source_edition": {"type": "string"},
                                    "section": section,
                                    "date": {"type": "string", "format": "date"},
                                    "title": {"type": "string"},
                                    "statuses": _ref("Statuses"),
                                }
                            ),
                        },
                        "limit": {"type": "integer"},
                        "offset": {"type": "integer"},
                    }
                ),
                "CounterpartText": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["title", "body"],
                    "properties": text,
                },
                **_newsletter_schemas(edition, text, status),
                "Counterpart": _returned(
                    {
                        "article_id": {"type": "integer"},
                        "edition": {"type": "string"},
                        "source_edition": {"type": "string"},
                        **text_out,
                        "state": state,
                        "status": status,
                        **counts,
                    },
                    optional=list(counts),
                ),
            },
        },
    }
