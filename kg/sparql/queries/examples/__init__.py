"""Example queries shipped with the query editor (``.rq`` files)."""
