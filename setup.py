"""Ship the sample project (the repository root) inside the wheel, as ``livret/sample/``.

The sample's files live once in git, at the top of the repository; ``livret init``
copies them from the installed package. The parts are named in ``livret/model/parts.py``.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
from livret.model.parts import PROJECT_PARTS  # noqa: E402 (standard library only)


class BuildWithSample(build_py):
    """``build_py`` that also copies the sample project into the built package."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the sample straight from the checkout
        target = Path(self.build_lib) / "livret" / "sample"
        shutil.rmtree(target, ignore_errors=True)
        junk = shutil.ignore_patterns("__pycache__", ".*", "*~", "*.pyc")
        for part in PROJECT_PARTS:
            source = ROOT / part
            if source.is_dir():
                shutil.copytree(source, target / part, ignore=junk)
            else:
                target.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target / part)


setup(cmdclass={"build_py": BuildWithSample})
