from typing import (Any, ClassVar, Dict, Iterable, List, Literal, Optional, Sequence, Tuple,
                    Union, overload)

import numpy as np
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

_Bins = Union[Literal["auto", "fd", "scott", "sturges", "doane", "rice", "sqrt",
                      "quantiles"],
              int, Tuple[Literal["quantiles"], int], npt.ArrayLike]

def kl_1d(x: npt.ArrayLike, y: npt.ArrayLike, *, ties: _Ties = ...,
          jitter_scale: float = ..., seed: int = ..., bootstrap: int = ...,
          confidence: float = ...) -> SampleEstimate: ...
def bin_edges(reference: npt.ArrayLike, bins: _Bins = ...) -> npt.NDArray[np.float64]: ...

class HistogramEstimate:
    value: float
    ci: Optional[Tuple[float, float]]
    edges: npt.NDArray[np.float64]
    x_counts: npt.NDArray[np.int64]
    y_counts: npt.NDArray[np.int64]
    p: npt.NDArray[np.float64]
    q: npt.NDArray[np.float64]
    terms: npt.NDArray[np.float64]
    n: int
    m: int
    rule: str
    smoothing: float
    warnings: List[str]
    unit: ClassVar[str]
    def __init__(self, value: float, ci: Optional[Tuple[float, float]],
                 edges: npt.NDArray[np.float64], x_counts: npt.NDArray[np.int64],
                 y_counts: npt.NDArray[np.int64], p: npt.NDArray[np.float64],
                 q: npt.NDArray[np.float64], terms: npt.NDArray[np.float64],
                 n: int, m: int, rule: str, smoothing: float,
                 warnings: List[str] = ...) -> None: ...
    def __float__(self) -> float: ...

def kl_histogram(x: npt.ArrayLike, y: npt.ArrayLike, bins: _Bins = ..., *,
                 smoothing: float = ..., seed: int = ..., bootstrap: int = ...,
                 confidence: float = ...) -> HistogramEstimate: ...

class CategoricalEstimate:
    value: float
    ci: Optional[Tuple[float, float]]
    categories: List[str]
    unseen: List[str]
    x_counts: npt.NDArray[np.int64]
    y_counts: npt.NDArray[np.int64]
    p: npt.NDArray[np.float64]
    q: npt.NDArray[np.float64]
    terms: npt.NDArray[np.float64]
    n: int
    m: int
    smoothing: float
    warnings: List[str]
    unit: ClassVar[str]
    def __init__(self, value: float, ci: Optional[Tuple[float, float]],
                 categories: List[str], unseen: List[str],
                 x_counts: npt.NDArray[np.int64], y_counts: npt.NDArray[np.int64],
                 p: npt.NDArray[np.float64], q: npt.NDArray[np.float64],
                 terms: npt.NDArray[np.float64], n: int, m: int,
                 smoothing: float, warnings: List[str] = ...) -> None: ...
    def __float__(self) -> float: ...

def kl_categorical(x: Iterable[Any], y: Iterable[Any], *, smoothing: float = ...,
                   seed: int = ..., bootstrap: int = ...,
                   confidence: float = ...) -> CategoricalEstimate: ...

@overload
def mutual_information_ksg(x: npt.ArrayLike, y: npt.ArrayLike, k: int = ..., *,
                           variant: Literal[1, 2] = ..., ties: _Ties = ...,
                           jitter_scale: float = ..., seed: int = ...,
                           threads: Optional[int] = ..., bootstrap: int = ...,
                           confidence: float = ...) -> SampleEstimate: ...
@overload
def mutual_information_ksg(x: npt.ArrayLike, y: npt.ArrayLike, k: Sequence[int], *,
                           variant: Literal[1, 2] = ..., ties: _Ties = ...,
                           jitter_scale: float = ..., seed: int = ...,
                           threads: Optional[int] = ..., bootstrap: int = ...,
                           confidence: float = ...) -> List[SampleEstimate]: ...
