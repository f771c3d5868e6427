"""Exhibitor applications: applying and withdrawing, staff review, their pages."""
