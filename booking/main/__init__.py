"""Pages everyone sees: home, language choice, health check, error pages."""
