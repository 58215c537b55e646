"""Deterministic demo data: a realistic ERP export of an industrial distributor in Spain.

    generate_demo_export(out_dir, scale=1, seed=7)  →  rows written per file
    demo_sign_ins(scale=1)                           →  [(login, role, name), ...]

Every demo user signs in with DEMO_PASSWORD.
"""

from sync_server.importer.demo.generate import REFERENCE_DATE, generate_demo_export
from sync_server.importer.demo.staff import DEMO_PASSWORD, demo_sign_ins

__all__ = ["DEMO_PASSWORD", "REFERENCE_DATE", "demo_sign_ins", "generate_demo_export"]
