"""Storyline: turn a folder of news articles into a static digest of the story."""

__version__ = "0.1.0"
