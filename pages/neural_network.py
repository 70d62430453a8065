"""Placeholder until this chapter's page is built: its title and a translated summary."""

from ui.layout import coming_soon

coming_soon("nn")
