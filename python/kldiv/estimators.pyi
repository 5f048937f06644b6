from typing import Any, ClassVar, Dict, List, Literal, Optional, Sequence, Tuple, overload

import numpy.typing as npt

_Ties = Literal["error", "jitter", "distinct", "exclude"]
_Search = Literal["auto", "tree", "brute"]

class SampleEstimate:
    value: float
    k: int
    ci: Optional[Tuple[float, float]]
    n: int
    m: int
    d: int
    ties: int
    tie_handling: str
    warnings: List[str]
    unit: ClassVar[str]
    def __init__(self, value: float, k: int, ci: Optional[Tuple[float, float]],
                 n: int, m: int, d: int, ties: int, tie_handling: str,
                 warnings: List[str] = ...) -> None: ...
    def __float__(self) -> float: ...
    @property
    def diagnostics(self) -> Dict[str, Any]: ...

@overload
def kl_knn(x: npt.ArrayLike, y: npt.ArrayLike, k: int = ..., *,
           ties: _Ties = ..., jitter_scale: float = ..., seed: int = ...,
           threads: Optional[int] = ..., search: _Search = ...,
           bootstrap: int = ..., confidence: float = ...) -> SampleEstimate: ...
@overload
def kl_knn(x: npt.ArrayLike, y: npt.ArrayLike, k: Sequence[int], *,
           ties: _Ties = ..., jitter_scale: float = ..., seed: int = ...,
           threads: Optional[int] = ..., search: _Search = ...,
           bootstrap: int = ..., confidence: float = ...) -> List[SampleEstimate]: ...
@overload
def entropy_knn(x: npt.ArrayLike, k: int = ..., *,
                ties: _Ties = ..., jitter_scale: float = ..., seed: int = ...,
                threads: Optional[int] = ..., search: _Search = ...,
                bootstrap: int = ..., confidence: float = ...) -> SampleEstimate: ...
@overload
def entropy_knn(x: npt.ArrayLike, k: Sequence[int], *,
                ties: _Ties = ..., jitter_scale: float = ..., seed: int = ...,
                threads: Optional[int] = ..., search: _Search = ...,
                bootstrap: int = ..., confidence: float = ...) -> List[SampleEstimate]: ...
