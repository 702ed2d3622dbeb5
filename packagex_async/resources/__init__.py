"""The API's resources, each reached as an attribute of ``PackageX``."""

from ._batches import Batches
from ._exports import Exports

__all__ = ["Batches", "Exports"]
