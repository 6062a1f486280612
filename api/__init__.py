"""The seikg web service: the SPARQL 1.1 Protocol endpoint, status pages and (later) the JSON API."""
from api.app import create_app

__all__ = ["create_app"]
