"""``python -m livret``: the same CLI as the ``livret`` script."""

from livret.cli import main

main()
