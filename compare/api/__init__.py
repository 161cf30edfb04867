"""The read API, version 1, at /api/v1/: the catalogue, the questionnaire and saved
recommendations as JSON, and new recommendations from answers (django-ninja, with its OpenAPI
schema and docs)."""
