"""Benchmarks of issue 5: rendering against django-ical and Django, HTTP against a
trivial route, export memory, concurrent writers. Run ``python -m bench --help``."""
