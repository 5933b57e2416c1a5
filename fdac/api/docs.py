"""GET /api/v1/openapi.json: the document, from the registry (fdac.api.spec).

It needs a token like every other endpoint: what the API offers is no secret (it is in the
repository), but nothing under /api/ answers strangers.
"""

from fdac.api.spec import api, openapi_document


@api("GET", "/openapi.json", summary="This API's OpenAPI 3.1 document", tags=("meta",))
def openapi():
    """The OpenAPI 3.1 document of every endpoint, made from the schemas that validate them."""
    return openapi_document()
