"""The JSON API under /api/v1: token authentication, the endpoint registry and its OpenAPI
document (spec.py), JSON errors (errors.py), and the endpoints. See docs/decisions/0025-api.md.
"""
