"""Checks: SHACL, anchors, dangling references and conflicts, gathered into one validation report."""
