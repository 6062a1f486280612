"""Stores: content-addressed snapshots, the backends that answer queries (embedded Oxigraph workers or a remote endpoint) and their sandbox."""
