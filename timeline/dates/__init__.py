"""Dates: the normalizer of news text and the API's date forms read into spans."""
