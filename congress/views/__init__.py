"""Views of the institution, one module per surface. Views are thin: they read through
selectors, write through services and check permissions on the server."""
