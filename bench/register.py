"""Procedure generators contributed by each workflow (filled in as the workflows land)."""
