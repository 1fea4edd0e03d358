"""The web: the calendar and feed views, the HTML pages, their templates and static files."""
