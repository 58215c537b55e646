"""The first sync without the binary accelerators, beside the accelerated one of the same run.

A tablet build installs no msgspec and no zstandard (docs/mobile.md): its client decodes
pages with pydantic and asks for gzip, which the server compresses at a higher cost. One
first sync of each set runs that way (`bench.tablet_client`) right after the accelerated
ones, against the same server; the ratios compare it with the reported accelerated run.
"""

from collections.abc import Callable


def without_accelerators(first_sync: Callable[[str], dict], name: str, accelerated: dict, results: dict) -> None:
    """Run `first_sync("bench.tablet_client")`, check it took the tablet's paths, record and print it."""
    f = first_sync("bench.tablet_client")
    f.pop("store_path", None)
    if f["wire_decoder"] != "pydantic" or f["content_encodings"] != ["gzip"]:
        raise RuntimeError(f"the tablet client used {f['wire_decoder']} and {f['content_encodings']}")
    f["vs_accelerated"] = {
        "rows_per_s_ratio": round(f["rows_per_s"] / accelerated["rows_per_s"], 2),
        "rows_per_cpu_second_ratio": round(f["rows_per_cpu_second"] / accelerated["rows_per_cpu_second"], 2),
        "client_cpu_ratio": round(f["client_cpu_seconds"] / accelerated["client_cpu_seconds"], 2),
        "server_cpu_ratio": round(f["server_cpu_seconds"] / max(accelerated["server_cpu_seconds"], 0.01), 2),
        "wire_mib_ratio": round(f["wire_mib"] / max(accelerated["wire_mib"], 0.1), 2),
    }
    results["runs"].setdefault("initial_sync_without_accelerators", {})[name] = f
    v = f["vs_accelerated"]
    print(
        f"  {name + ' as on a tablet':22} {f['changes']:>9,} rows  {f['seconds']:6.1f} s  {f['rows_per_s']:>7,} rows/s "
        f"({f['rows_per_cpu_second']:,} per CPU-s; {v['rows_per_s_ratio']:.2f}x the accelerated rate, "
        f"{v['rows_per_cpu_second_ratio']:.2f}x per CPU-s)  pydantic decoder, gzip {f['wire_mib']} MiB "
        f"({v['wire_mib_ratio']:.2f}x)  [decoding {f['split_seconds']['decoding']:.1f} s; "
        f"CPU client {f['client_cpu_seconds']:.1f} s ({v['client_cpu_ratio']:.2f}x) "
        f"server {f['server_cpu_seconds']:.1f} s ({v['server_cpu_ratio']:.2f}x)]",
        flush=True,
    )


__all__ = ["without_accelerators"]
