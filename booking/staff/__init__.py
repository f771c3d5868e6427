"""Staff pages (管理): dashboards and tools for the chamber's staff."""
