"""What batches and exports share as *jobs*: waiting for them, and fetching their files.

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
from typing import Any, Generic, Protocol, TypeVar, cast

import attrs

from .._errors import (
    APIResponseValidationError,
    FileNotAvailableError,
    JobFailedError,
    PackageXError,
)
from .._files import Download, Files, ProgressCallback, presigned_url_problem
from .._http import Api, where
from .._params import check_callback, check_path, check_seconds, id_segment
from .._rowstream import csv_rows, json_rows
from .._waiting import HasStatus, wait_until_final
from ._base import Resource

__all__ = ["JobResource", "RunPlan"]


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
        timeout: float | None = 600.0,
        poll_interval: float = 1.0,
        max_poll_interval: float = 15.0,
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
        if str(done.status) != "completed":
            raise JobFailedError(
                f"{self.spec.noun} {job.id} ended {done.status}",
                job=done,
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

    def _rows(self, job_id: str, file: str) -> AsyncIterator[Any]:
        """Checks the arguments now, not at the first ``async for`` step."""
        id_segment(self.spec.id_name, job_id)
        parse = json_rows if self.spec.file(file).format == "json" else csv_rows

        async def rows() -> AsyncIterator[Any]:
            url = await self._file_url(job_id, file)
            try:
                async for row in parse(self._files.stream(url)):
                    yield row
            except PackageXError:
                raise
            except ValueError as exc:  # orjson.JSONDecodeError is one too
                raise APIResponseValidationError(
                    f"the {file} file of {job_id} could not be read: {exc}", status=200
                ) from exc

        return rows()

    async def _file_url(self, job_id: str, file: str) -> str:
        spec = self.spec.file(file)
        job = await self._retrieve(job_id, {spec.flag: "true"})
        url = getattr(job, spec.attribute)
        if url is None:
            raise FileNotAvailableError(
                f"{job_id} has no {file} file (status: {job.status}): {spec.exists_when}"
            )
        problem = presigned_url_problem(url)
        if problem is not None:
            raise APIResponseValidationError(
                f"the API gave {job_id} a {file} URL that cannot be fetched: {where(url)} "
                f"{problem}",
                status=200,
            )
        return str(url)
