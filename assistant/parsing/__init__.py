"""Turning a plan's text into a section tree, paragraphs and tables with exact character spans."""
