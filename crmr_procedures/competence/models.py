"""Models of this procedure (imported by crmr_procedures/models.py)."""
