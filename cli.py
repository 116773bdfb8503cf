"""Run livret from a checkout: ``python cli.py build``."""

from livret.cli import main

if __name__ == "__main__":
    main()
