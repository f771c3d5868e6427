"""The chamber's organisation: headquarters, branches, sections, committees and groups."""
