"""From data to HTML: the Jinja environment, the template context, Markdown, filters."""
