"""The documents every shell shows: one module per use case, each turning a service's typed result into
JSON-ready data that the CLI's ``--json``, the API's view twins and the pages all return unchanged."""
