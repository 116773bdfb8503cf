"""The files and folders that make a project, named once.

Standard library only: ``setup.py`` reads this module to copy the sample project into
the wheel, before livret's dependencies are installed.
"""

CONFIG_NAME = "livret.yaml"
PROJECT_PARTS = (CONFIG_NAME, "brand", "content", "templates", "locales")
