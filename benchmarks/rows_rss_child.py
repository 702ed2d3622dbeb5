"""Child of scenario 5: stream every row of one file, print the peak RSS growth.

    python benchmarks/rows_rss_child.py URL json|csv

Growth is peak RSS after the walk minus peak RSS before it (after imports and one
small warm-up request), so fixed costs cancel out.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys

from packagex_async import PackageX
from packagex_async._jobs._rowstream import csv_rows, json_rows


def peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


async def main(url: str, kind: str) -> None:
    parse = json_rows if kind == "json" else csv_rows
    async with PackageX("px_benchmark_key", base_url="http://127.0.0.1:1") as px:
        small = url.split("?")[0] + "?rows=10"
        async for _ in parse(px.files.stream(small)):
            pass
        before = peak_kib()
        count = 0
        async for _ in parse(px.files.stream(url)):
            count += 1
        after = peak_kib()
    print(json.dumps({"rows": count, "growth_kib": after - before}))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
