"""What every job resource shares: waiting for them, and fetching their files.

A job's files sit behind presigned URLs that the API hands out only when asked
(an ``include_*`` flag) and only when the file exists. Everything here works from
the resource's ``ResourceSpec`` files, always retrieving a fresh URL just before
using it, because the URLs expire. ``F`` is the resource's ``Literal`` of file
names, so ``download`` is typed per resource without a wrapper in each.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeAlias, TypeVar, cast

import attrs

from .._errors import (
    APIResponseValidationError,
    FileNotAvailableError,
    JobFailedError,
    JobModel,
    PackageXError,
)
from .._http._redact import SecretURL, where
from .._jobs._rowstream import csv_rows, json_rows
from .._jobs._waiting import HasStatus, wait_until_final
from .._params import check_callback, check_path, check_seconds, id_segment
from .._settings import DEFAULT_MAX_POLL_INTERVAL, DEFAULT_POLL_INTERVAL, DEFAULT_WAIT_TIMEOUT
from ._base import Resource

if TYPE_CHECKING:  # the HTTP stack loads when a client is made, not with the specs
    from .._http import Api
    from .._jobs._files import Download, Files, ProgressCallback

__all__ = ["CSVRow", "JSONRow", "JobResource", "RunPlan"]

JSONRow: TypeAlias = "dict[str, Any]"
"""A row of a JSON file: one object of its array."""
CSVRow: TypeAlias = "dict[str, str]"
"""A row of a CSV file: its fields keyed by the header row."""


class Job(HasStatus, Protocol):
    """What a job model has: an id and a status."""

    @property
    def id(self) -> str: ...


J = TypeVar("J", bound=Job)
F = TypeVar("F", bound=str)


@attrs.frozen
class RunPlan(Generic[J]):
    """What ``run()`` does after the create: wait how long, then download what where."""

    path: Path | None
    file: str
    timeout: float | None
    poll_interval: float
    on_progress: Callable[[J], object] | None


class JobResource(Resource[J], Generic[J, F]):
    """A resource whose objects are jobs with a status and downloadable files."""

    def __init__(self, api: Api, files: Files) -> None:
        super().__init__(api)
        self._files = files

    async def wait(
        self,
        job_id: str,
        /,
        *,
        timeout: float | None = DEFAULT_WAIT_TIMEOUT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        max_poll_interval: float = DEFAULT_MAX_POLL_INTERVAL,
        on_progress: Callable[[J], object] | None = None,
    ) -> J:
        """Poll until the job reaches a final status (``spec.final_statuses``); return it.

        Polls start ``poll_interval`` apart and grow to ``max_poll_interval``;
        ``on_progress`` receives every polled job (a batch's ``phases`` tell how far
        it got). Raises ``WaitTimeoutError`` (with ``.last``) after ``timeout``
        seconds; ``timeout=None`` waits without a limit.
        """
        if timeout is not None:
            check_seconds("timeout", timeout)
        check_seconds("poll_interval", poll_interval)
        check_seconds("max_poll_interval", max_poll_interval)
        id_segment(self.spec.id_name, job_id)
        check_callback("on_progress", on_progress)

        async def retrieve() -> J:
            return await self._retrieve(job_id, {})

        return await wait_until_final(
            retrieve,
            final=self.spec.final_statuses,
            what=f"{self.spec.noun} {job_id}",
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max(poll_interval, max_poll_interval),
            on_progress=on_progress,
        )

    async def download(
        self,
        job_id: str,
        file: F,
        path: str | os.PathLike[str],
        *,
        on_progress: ProgressCallback | None = None,
    ) -> Download:
        """Fetch a fresh URL for one of the job's files and download it to ``path``.

        ``file`` is one of the resource's file names (``spec.file_names``). Atomic:
        ``path`` appears only once the whole file is there.
        """
        id_segment(self.spec.id_name, job_id)
        self.spec.file(file)
        check_path("path", path)
        check_callback("on_progress", on_progress)
        url = await self._file_url(job_id, file)
        return await self._files.download(url, path, on_progress=on_progress)

    async def _create(self, body: Mapping[str, Any], if_unsure: str) -> J:
        """POST a checked ``body``; the new job, decoded from the answer (HTTP 201).

        Decoded inside the pipeline: an answer that cannot be read is an error
        naming the POST, with ``outcome_unknown`` set (the job exists).
        """
        return await self._api.post(self.spec.path, body, self._read_object, if_unsure=if_unsure)

    async def _run(self, body: Mapping[str, Any], if_unsure: str, plan: RunPlan[J]) -> J:
        """Create, wait until final, and download if asked; ``JobFailedError`` unless completed.

        ``plan`` was checked before this is called, so no create is sent for a run that
        could not be finished as asked.
        """
        job = await self._create(body, if_unsure)
        done = await self.wait(
            job.id,
            timeout=plan.timeout,
            poll_interval=plan.poll_interval,
            on_progress=plan.on_progress,
        )
        if str(done.status) != self.spec.success_status:
            raise JobFailedError(
                f"{self.spec.noun} {job.id} ended {done.status}",
                job=cast("JobModel", done),  # J is the resource's job model
            )
        if plan.path is not None:
            await self.download(done.id, cast(F, plan.file), plan.path)
        return done

    def _plan(
        self,
        path: str | os.PathLike[str] | None,
        file: str,
        timeout: float | None,
        poll_interval: float,
        on_progress: Callable[[J], object] | None,
    ) -> RunPlan[J]:
        """``run()``'s own arguments, checked before the create is sent."""
        self.spec.file(file)
        if timeout is not None:
            check_seconds("timeout", timeout)
        check_seconds("poll_interval", poll_interval)
        check_callback("on_progress", on_progress)
        target = None if path is None else check_path("path", path)
        return RunPlan(target, file, timeout, poll_interval, on_progress)

    def stream(self, job_id: str, file: F) -> AsyncIterator[bytes]:
        """The bytes of one of the job's files as they arrive, from a fresh URL.

        For piping a file on (``packagex batches download ID FILE -o -``) without
        keeping it whole; ``download`` saves one atomically, ``rows`` parses one.
        The arguments are checked now, not at the first ``async for`` step.
        """
        id_segment(self.spec.id_name, job_id)
        self.spec.file(file)

        async def chunks() -> AsyncIterator[bytes]:
            url = await self._file_url(job_id, file)
            async for chunk in self._files.stream(url):
                yield chunk

        return chunks()

    def _rows(self, job_id: str, file: str) -> AsyncIterator[JSONRow]:
        """Checks the arguments now, not at the first ``async for`` step."""
        id_segment(self.spec.id_name, job_id)
        parse = _json_objects if self.spec.file(file).format == "json" else csv_rows

        async def rows() -> AsyncIterator[JSONRow]:
            try:
                async for row in parse(self.stream(job_id, cast(F, file))):
                    yield row
            except PackageXError:
                raise
            except ValueError as exc:  # orjson.JSONDecodeError is one too
                raise APIResponseValidationError(
                    f"the {file} file of {job_id} could not be read: {exc}", status=200
                ) from exc

        return rows()

    async def _file_url(self, job_id: str, file: str) -> SecretURL:
        """The job's fresh presigned URL for ``file``, as a ``SecretURL`` (repr hides it)."""
        spec = self.spec.file(file)
        job = await self._retrieve(job_id, {spec.flag: "true"})
        url = getattr(job, spec.attribute)
        if url is None:
            raise FileNotAvailableError(
                f"{job_id} has no {file} file (status: {job.status}): {spec.exists_when}"
            )
        from .._jobs._files import presigned_url_problem  # loaded with the client already

        url = SecretURL(url)
        problem = presigned_url_problem(url)
        if problem is not None:
            raise APIResponseValidationError(
                f"the API gave {job_id} a {file} URL that cannot be fetched: {where(url)} "
                f"{problem}",
                status=200,
            )
        return url


async def _json_objects(chunks: AsyncIterator[bytes]) -> AsyncIterator[JSONRow]:
    """The elements of a JSON file's array, each an object (what ``rows()`` is typed to give)."""
    number = 0
    async for row in json_rows(chunks):
        number += 1
        if not isinstance(row, dict):
            kind = "null" if row is None else type(row).__name__
            raise ValueError(f"element {number} of the array is {kind}, not an object")
        yield row
