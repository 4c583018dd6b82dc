"""The OpenAPI 3.1 document of /api/v1/ (its schemas are JSON Schema, which the tests validate responses with)."""
from portal.api.parameters import PAGE, PER_PAGE, PROVINCE, PROVINCE_CODE, described
from portal.backlog.services import FIRST_DAY, MAX_DOSSIERS, NOTE_LENGTH
from portal.integrations.models import INTEGRATION_STATUSES
from portal.util.query import MAX_INTEGER


def page_schema(item: str) -> dict:
    return {
        "type": "object", "required": ["items", "page", "per_page", "total"], "additionalProperties": False,
        "properties": {"items": {"type": "array", "items": {"$ref": f"#/components/schemas/{item}"}},
                       "page": {"type": "integer", "minimum": PAGE.minimum, "maximum": PAGE.maximum},
                       "per_page": {"type": "integer", "minimum": PER_PAGE.minimum, "maximum": PER_PAGE.maximum},
                       "total": {"type": "integer", "minimum": 0}},
    }


PAGING = [described(PAGE), described(PER_PAGE)]
def error(description: str) -> dict:
    """A response whose body is the Error schema."""
    return {"description": description, "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Error"}}}}


BAD_REQUEST = {"400": error("A query parameter outside the bounds stated here")}


def operation(summary: str, schema: str, parameters: list | None = None) -> dict:
    return {"get": {
        "summary": summary, "parameters": parameters or [],
        "responses": {"200": {"description": "OK", "content": {"application/json": {
            "schema": {"$ref": f"#/components/schemas/{schema}"}}}},
            "401": {"description": "Missing or invalid token"}, **(BAD_REQUEST if parameters else {})},
    }}


RECORD_BACKLOG = {"post": {
    "summary": "Record a province's or one of its communes' dossiers waiting for an account",
    "description": "Needs a token allowed to record dossiers waiting for an account (an admin grants it). "
                   "A figure already recorded for the same day and unit is replaced.",
    "parameters": [PROVINCE_CODE],
    "requestBody": {"required": True, "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/BacklogInput"}}}},
    "responses": {
        "201": {"description": "Recorded", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/BacklogFigure"}}}},
        "400": error("A body that is not a JSON object, a field of the wrong type or outside the bounds stated here, "
                     "a day after today in Vietnam, or a commune of another province; `parameter` names the field "
                     "(`body` for the body as a whole) and nothing is recorded"),
        "401": {"description": "Missing or invalid token"},
        "403": error("The token may not record dossiers waiting for an account"),
        "404": error("No province has this code"),
    },
}}


def document(server_url: str) -> dict:
    integer, string = {"type": "integer"}, {"type": "string"}
    return {
        "openapi": "3.1.0",
        "info": {"title": "TTHC rollout portal API", "version": "1.0",
                 "description": "Data for the ministry's systems, read-only but for recording dossiers waiting "
                                "for an account. No personal data."},
        "servers": [{"url": server_url}],
        "security": [{"bearer": []}],
        "paths": {
            "/provinces": operation("Provinces with their number of communes", "ProvincePage", PAGING),
            "/provinces/{code}/communes": operation("A province's communes", "CommunePage", [
                PROVINCE_CODE, *PAGING]),
            "/provinces/{code}/backlog": RECORD_BACKLOG,
            "/readiness": operation("Readiness per province", "ReadinessPage", PAGING),
            "/sessions": operation("The training plan (public data)", "SessionPage", [
                described(PROVINCE), *PAGING]),
            "/tickets/counts": operation("Support tickets counted by status and province", "TicketCounts"),
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Province": {"type": "object", "additionalProperties": False,
                             "required": ["code", "name", "kind", "communes"],
                             "properties": {"code": integer, "name": string,
                                            "kind": {"enum": ["tinh", "thanh_pho"]}, "communes": integer}},
                "Commune": {"type": "object", "additionalProperties": False, "required": ["code", "name", "kind"],
                            "properties": {"code": integer, "name": string,
                                           "kind": {"enum": ["xa", "phuong", "dac_khu"]}}},
                "Readiness": {"type": "object", "additionalProperties": False, "required": [
                    "code", "name", "communes", "communes_registered", "departments", "departments_complete",
                    "registered", "trained", "open_tickets", "overdue_tickets", "connection", "integrations", "score",
                    "dossier_backlog"],
                    "properties": {
                        "code": integer, "name": string, "communes": integer, "communes_registered": integer,
                        "departments": integer, "departments_complete": integer, "registered": integer,
                        "trained": integer, "open_tickets": integer, "overdue_tickets": integer,
                        "connection": {"enum": list(INTEGRATION_STATUSES), "deprecated": True,
                                       "description": "The QLVB integration's status; read integrations instead."},
                        "integrations": {"type": "array", "items": {"$ref": "#/components/schemas/Integration"}},
                        "score": {"type": "integer", "minimum": 0, "maximum": 100},
                        "dossier_backlog": {"anyOf": [{"$ref": "#/components/schemas/DossierBacklog"}, {"type": "null"}],
                                            "description": "The latest dossiers waiting for an account; null when "
                                                           "the province has reported none."}}},
                "DossierBacklog": {"type": "object", "additionalProperties": False,
                                   "required": ["dossiers", "as_of", "change"], "properties": {
                                       "dossiers": {"type": "integer", "minimum": 0},
                                       "as_of": {"type": "string", "format": "date"},
                                       "change": {"type": ["integer", "null"], "description":
                                                  "Against the previous day with a figure; null when there is none"}}},
                "Integration": {"type": "object", "additionalProperties": False,
                                "required": ["kind", "name", "status", "since"], "properties": {
                                    "kind": string, "name": string, "status": {"enum": list(INTEGRATION_STATUSES)},
                                    "since": {"type": ["string", "null"], "format": "date-time"}}},
                "Session": {"type": "object", "additionalProperties": False, "required": [
                    "id", "title", "audience", "mode", "status", "revision", "starts_at", "ends_at", "venue",
                    "meeting_url", "provinces", "trainers"],
                    "properties": {
                        "id": integer, "title": string, "audience": {"enum": ["department", "commune", "both"]},
                        "mode": {"enum": ["in_person", "online", "both"]},
                        "status": {"enum": ["scheduled", "changed", "cancelled"]}, "revision": integer,
                        "starts_at": {"type": "string", "format": "date-time"},
                        "ends_at": {"type": "string", "format": "date-time"}, "venue": string, "meeting_url": string,
                        "provinces": {"type": "array", "items": integer},
                        "trainers": {"type": "array", "items": string}}},
                "TicketCounts": {"type": "object", "additionalProperties": False,
                                 "required": ["by_status", "by_province"], "properties": {
                                     "by_status": {"type": "object", "additionalProperties": integer},
                                     "by_province": {"type": "array", "items": {
                                         "type": "object", "additionalProperties": False,
                                         "required": ["code", "open", "overdue"],
                                         "properties": {"code": integer, "open": integer, "overdue": integer}}}}},
                "BacklogInput": {"type": "object", "additionalProperties": False, "required": ["as_of", "dossiers"],
                                 "properties": {
                                     "as_of": {"type": "string", "format": "date", "description":
                                               f"The figure's day, from {FIRST_DAY.isoformat()} to today in Vietnam"},
                                     "dossiers": {"type": "integer", "minimum": 0, "maximum": MAX_DOSSIERS,
                                                  "description": "Written as an integer: 12, not 12.0 or \"12\""},
                                     "commune_code": {"type": ["integer", "null"], "minimum": 1, "maximum": MAX_INTEGER,
                                                      "description": "A commune of the province; null or left out "
                                                                     "for the whole province"},
                                     "note": {"type": ["string", "null"], "maxLength": NOTE_LENGTH}}},
                "BacklogFigure": {"type": "object", "additionalProperties": False, "required": [
                    "province_code", "commune_code", "as_of", "dossiers", "note", "source"], "properties": {
                        "province_code": integer, "commune_code": {"type": ["integer", "null"]},
                        "as_of": {"type": "string", "format": "date"},
                        "dossiers": {"type": "integer", "minimum": 0}, "note": string, "source": {"const": "api"}}},
                "Error": {"type": "object", "required": ["error", "message"],
                          "properties": {"error": string, "message": string, "parameter": string}},
                "ProvincePage": page_schema("Province"),
                "CommunePage": page_schema("Commune"),
                "ReadinessPage": page_schema("Readiness"),
                "SessionPage": page_schema("Session"),
            },
        },
    }
