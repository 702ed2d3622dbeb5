"""What batches and exports share as *jobs*: waiting for them, and fetching their files.

A job's files sit behind presigned URLs that the API hands out only when asked
(an ``include_*`` flag) and only when the file exists. Each resource declares its
files once (``FileSpec``: the flag, the attribute, the format, and why a file can be
missing); everything here works from that table, always retrieving a fresh URL
just before using it, because the URLs expire.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any, ClassVar, Literal, TypeVar

import attrs
import orjson

from .._errors import APIResponseValidationError, FileNotAvailableError
from .._files import Download, Files, ProgressCallback, presigned_url_problem
from .._http import Api, where
from .._params import check_callback, check_path, check_seconds, id_segment, wrong_value
from .._rowstream import csv_rows, json_rows
from .._waiting import HasStatus, wait_until_final
from ._base import Resource

__all__ = ["FileSpec", "JobResource"]

J = TypeVar("J", bound=HasStatus)


@attrs.frozen
class FileSpec:
    """One downloadable file of a job: how to ask for it and why it may be absent."""

    flag: str
    attribute: str
    format: Literal["json", "csv"]
    exists_when: str


class JobResource(Resource[J]):
    """A resource whose objects are jobs with a status and downloadable files."""

    id_name: ClassVar[str]
    file_specs: ClassVar[Mapping[str, FileSpec]]
    final_statuses: ClassVar[frozenset[str]]

    def __init__(self, api: Api, files: Files) -> None:
        super().__init__(api)
        self._files = files

    async def _file_url(self, object_id: str, file: str) -> str:
        spec = self._spec(file)
        job = await self._retrieve(self.id_name, object_id, {spec.flag: True})
        url = getattr(job, spec.attribute)
        if url is None:
            raise FileNotAvailableError(
                f"{object_id} has no {file} file (status: {job.status}): {spec.exists_when}"
            )
        problem = presigned_url_problem(url)
        if problem is not None:
            raise APIResponseValidationError(
                f"the API gave {object_id} a {file} URL that cannot be fetched: {where(url)} "
                f"{problem}",
                status=200,
            )
        return str(url)

    async def _download(
        self,
        object_id: str,
        file: str,
        path: str | os.PathLike[str],
        on_progress: ProgressCallback | None,
    ) -> Download:
        id_segment(self.id_name, object_id)
        self._spec(file)
        check_path("path", path)
        check_callback("on_progress", on_progress)
        url = await self._file_url(object_id, file)
        return await self._files.download(url, path, on_progress=on_progress)

    def _rows(self, object_id: str, file: str) -> AsyncIterator[Any]:
        """Checks the arguments now, not at the first ``async for`` step."""
        id_segment(self.id_name, object_id)
        parse = json_rows if self._spec(file).format == "json" else csv_rows

        async def rows() -> AsyncIterator[Any]:
            url = await self._file_url(object_id, file)
            try:
                async for row in parse(self._files.stream(url)):
                    yield row
            except (ValueError, orjson.JSONDecodeError) as exc:
                raise APIResponseValidationError(
                    f"the {file} file of {object_id} could not be read: {exc}", status=200
                ) from exc

        return rows()

    async def _wait(
        self,
        object_id: str,
        timeout: float | None,
        poll_interval: float,
        max_poll_interval: float,
        on_progress: Callable[[J], object] | None,
    ) -> J:
        if timeout is not None:
            check_seconds("timeout", timeout)
        check_seconds("poll_interval", poll_interval)
        check_seconds("max_poll_interval", max_poll_interval)
        id_segment(self.id_name, object_id)
        check_callback("on_progress", on_progress)

        async def retrieve() -> J:
            return await self._retrieve(self.id_name, object_id, {})

        return await wait_until_final(
            retrieve,
            final=self.final_statuses,
            what=f"{self.id_name.removesuffix('_id')} {object_id}",
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max(poll_interval, max_poll_interval),
            on_progress=on_progress,
        )

    def _spec(self, file: object) -> FileSpec:
        if not isinstance(file, str) or file not in self.file_specs:
            allowed = ", ".join(repr(name) for name in self.file_specs)
            wrong_value(f"file must be one of {allowed}, got {file!r}")
        return self.file_specs[file]
