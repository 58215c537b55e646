"""What a test process lets go of between tests, so hundreds of apps do not pile up."""

from fastapi.dependencies import models as _dependency_models

# FastAPI remembers the last 4,096 endpoint and dependency callables it classified (plain,
# generator, coroutine: three lru_caches). An app's own closures among them, such as
# fastapi-offline's documentation pages, keep that whole app alive, with its engine and
# its compiled statements: by the end of a test process, hundreds of apps and ten million
# objects that every full garbage collection walks again. One app per server process
# (production) never notices. Named one by one: a FastAPI that renames them fails here.
_CALLABLE_CACHES = (
    _dependency_models._is_gen_callable_cached,
    _dependency_models._is_async_gen_callable_cached,
    _dependency_models._is_coroutine_callable_cached,
)


def forget_fastapi_callables() -> None:
    """Empty FastAPI's caches of classified callables (they fill again as apps are built)."""
    for cached in _CALLABLE_CACHES:
        cached.cache_clear()
