"""The project and its inputs: livret.yaml, brand, chapters, content, and their schema."""
