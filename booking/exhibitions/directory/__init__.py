"""The public exhibitor directory: search, cards, bookmarks and its pages."""
