"""A loopback file server for the rows scenario: JSON and CSV result files of N rows.

    python benchmarks/rows_server.py      # prints {"url": ...} and serves until stdin closes

``GET /rows.json?rows=N`` and ``/rows.csv?rows=N`` stream a deterministic file of N
shipment-like rows (strings with commas, quotes and brackets included), generated
as it is sent, so a 200 MB file costs the server no memory.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import sys
from collections.abc import Iterator

import orjson
from aiohttp import web
from children import start_announced

BATCH = 2_000


def row(number: int) -> dict[str, object]:
    return {
        "id": f"shp_{number:012d}",
        "tracking_number": f"1Z{number * 7919 % 10**12:012d}",
        "carrier": ("ups", "dhl", "fedex", "usps")[number % 4],
        "status": "in_transit",
        "weight": number % 37 + 0.5,
        "recipient": f'Dock {number % 9}, "Gate" [{number % 5}]',
        "address": {"city": "Berlin", "zip": f"{10115 + number % 80}"},
        "created_at": "2024-01-01T00:00:00Z",
    }


def json_file(rows: int) -> Iterator[bytes]:
    """The file in pieces of BATCH rows: ``[``, rows joined by commas, ``]``."""
    yield b"["
    for first in range(0, rows, BATCH):
        part = orjson.dumps([row(n) for n in range(first, min(first + BATCH, rows))])[1:-1]
        yield (b"," if first else b"") + part
    yield b"]"


def csv_file(rows: int) -> Iterator[bytes]:
    """A header, then pieces of BATCH records (the nested address as a JSON cell)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(row(0)))
    writer.writeheader()
    for first in range(0, rows, BATCH):
        for number in range(first, min(first + BATCH, rows)):
            record = row(number)
            writer.writerow({**record, "address": json.dumps(record["address"])})
        yield out.getvalue().encode()
        out.seek(0)
        out.truncate()


async def serve_file(request: web.Request) -> web.StreamResponse:
    rows = int(request.query.get("rows", "1000"))
    kind = request.match_info["kind"]
    response = web.StreamResponse(headers={"Content-Type": f"application/{kind}"})
    await response.prepare(request)
    for piece in json_file(rows) if kind == "json" else csv_file(rows):
        await response.write(piece)
    await response.write_eof()
    return response


async def main() -> None:
    app = web.Application()
    app.router.add_get("/rows.{kind:json|csv}", serve_file)
    runner = await start_announced(app)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    await runner.cleanup()


if __name__ == "__main__":
    asyncio.run(main())
