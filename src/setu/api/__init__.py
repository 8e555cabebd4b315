"""Setu's REST API (FastAPI). :func:`setu.api.app.create_app` builds it from Settings."""
