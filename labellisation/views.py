"""Views: thin, they parse, call a service or selector, render."""
