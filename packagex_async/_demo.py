"""``python -m packagex_async demo``: the SDK against a fake PackageX on loopback.

Shows what a user's first script does (list everything, filter, retrieve with file
URLs) without an account or a network: the fake server runs in-process on
127.0.0.1 and the SDK talks real HTTP to it.
"""

from __future__ import annotations

from collections import Counter
from typing import TextIO

from ._client import PackageX
from .models import Batch, Export
from .testing import FakePackageX

__all__ = ["run_demo"]


async def run_demo(out: TextIO, *, batches: int = 60, exports: int = 30, seed: int = 7) -> None:
    """Start a fake PackageX, run the SDK against it and print what it found."""
    async with FakePackageX(batches=batches, exports=exports, seed=seed) as fake:
        out.write(f"Fake PackageX listening on {fake.url} (storage on {fake.storage_url})\n\n")
        async with PackageX(fake.api_key, base_url=fake.url) as px:
            await _all_batches(px, out)
            await _all_exports(px, out)
            await _filtered(px, out)
            await _with_files(px, out)


async def _all_batches(px: PackageX, out: TextIO) -> None:
    found: list[Batch] = []
    pages = 0
    async for page in px.batches.list().pages():
        pages += 1
        found.extend(page.data)
    out.write(f"All batches: {len(found)} in {pages} pages of up to 25\n")
    _counts(out, "by status", Counter(str(b.status) for b in found))
    _counts(out, "by resource", Counter(str(b.resource) for b in found))
    if found and found[0].created_at and found[-1].created_at:
        first, last = found[0].created_at, found[-1].created_at
        out.write(f"  created from {first:%Y-%m-%d %H:%M} to {last:%Y-%m-%d %H:%M} UTC\n")
    out.write("\n")


async def _all_exports(px: PackageX, out: TextIO) -> None:
    found: list[Export] = [export async for export in px.exports.list()]
    out.write(f"All exports: {len(found)} (10 per page)\n")
    _counts(out, "by status", Counter(str(e.status) for e in found))
    out.write("\n")


async def _filtered(px: PackageX, out: TextIO) -> None:
    completed = [b async for b in px.batches.list(status="completed", via="file")]
    out.write(f"Completed batches uploaded as files: {len(completed)}\n")
    largest = px.exports.list(order_by="count_total", direction="desc", statuses="completed")
    async with largest:
        async for export in largest:
            out.write(f"Largest completed export: {export.name!r}, {export.count_total} rows\n")
            break
    out.write("\n")


async def _with_files(px: PackageX, out: TextIO) -> None:
    async with px.batches.list(status="completed", limit=1) as completed:
        async for listed in completed:
            await _show_files(px, listed.id, out)
            return
    out.write("No completed batch to show.\n")


async def _show_files(px: PackageX, batch_id: str, out: TextIO) -> None:
    batch = await px.batches.retrieve(batch_id, include_result_json=True, include_errors_csv=True)
    out.write(f"Batch {batch.id} ({batch.resource}, {batch.action}):\n")
    for phase in batch.phases:
        out.write(
            f"  phase {phase.name}: {phase.processed}/{phase.total} processed, "
            f"{phase.success} ok, {phase.error} failed\n"
        )
    out.write(f"  result JSON: {_short(batch.result_json_url)}\n")
    out.write(f"  errors CSV:  {_short(batch.errors_csv_url)}\n")


def _counts(out: TextIO, title: str, counts: Counter[str]) -> None:
    parts = ", ".join(f"{name} {count}" for name, count in sorted(counts.items()))
    out.write(f"  {title}: {parts}\n")


def _short(url: str | None) -> str:
    if url is None:
        return "(none: the batch was created without saving this file)"
    return url if len(url) <= 90 else url[:87] + "..."
