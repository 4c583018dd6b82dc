"""The API's parameters, declared once: the views read them strictly and the OpenAPI document states their bounds."""
from portal.api.services import MAX_PER_PAGE
from portal.util.query import MAX_INTEGER, PAGE, Integer

PER_PAGE = Integer("per_page", default=50, minimum=1, maximum=MAX_PER_PAGE)
PROVINCE = Integer("province")


def described(parameter: Integer, location: str = "query") -> dict:
    """The OpenAPI Parameter Object of a declared parameter."""
    return {"name": parameter.name, "in": location, "required": location == "path", "schema": parameter.schema()}


PROVINCE_CODE = described(Integer("code", maximum=MAX_INTEGER), "path")
