"""No background work of its own: the procedure's letters are rendered by ``reporting.tasks.render_letter``."""
