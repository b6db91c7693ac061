"""Package layout that pyproject.toml cannot express: everything else is in pyproject.toml.

The style alias table lives in the repository's top-level styles/ folder (beside any
style the project writes) and is installed as citekit/styles/aliases.toml.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages("src"), "citekit.styles"],
    package_dir={"": "src", "citekit.styles": "styles"},
)
