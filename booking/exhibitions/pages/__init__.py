"""The exhibitor's own page: details and logo."""
