"""Setu's REST API (FastAPI). :func:`setu.api.app.build_api` builds it from Settings; :func:`setu.app.create_app`
serves it together with the web pages."""
