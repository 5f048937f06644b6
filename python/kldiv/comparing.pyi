from typing import (Any, Dict, Iterator, List, Literal, Optional, Sequence,
                    Tuple, Union)

import numpy as np
import numpy.typing as npt

_Names = Union[None, str, Sequence[str]]
_Bins = Union[Literal["auto", "fd", "scott", "sturges", "doane", "rice",
                      "sqrt", "quantiles"],
              int, Tuple[Literal["quantiles"], int], npt.ArrayLike]

class ColumnComparison:
    name: str
    kind: Literal["numeric", "categorical"]
    n_reference: int
    n_current: int
    missing_reference: int
    missing_current: int
    edges: Optional[npt.NDArray[np.float64]]
    bins: List[str]
    reference_counts: npt.NDArray[np.int64]
    current_counts: npt.NDArray[np.int64]
    reference_p: npt.NDArray[np.float64]
    current_p: npt.NDArray[np.float64]
    kl_terms: npt.NDArray[np.float64]
    kl_current_reference: float
    kl_reference_current: float
    js_bits: float
    js_ci: Optional[Tuple[float, float]]
    hellinger: float
    total_variation: float
    psi: float
    kl_1d: Optional[float]
    wasserstein: Optional[float]
    tests: Dict[str, Dict[str, Any]]
    verdict: Literal["no drift", "possible drift", "drift"]
    reason: str
    warnings: List[str]
    def __init__(self, name: str, kind: str, n_reference: int,
                 n_current: int, missing_reference: int,
                 missing_current: int,
                 edges: Optional[npt.NDArray[np.float64]], bins: List[str],
                 reference_counts: npt.NDArray[np.int64],
                 current_counts: npt.NDArray[np.int64],
                 reference_p: npt.NDArray[np.float64],
                 current_p: npt.NDArray[np.float64],
                 kl_terms: npt.NDArray[np.float64],
                 kl_current_reference: float, kl_reference_current: float,
                 js_bits: float, js_ci: Optional[Tuple[float, float]],
                 hellinger: float, total_variation: float, psi: float,
                 kl_1d: Optional[float], wasserstein: Optional[float],
                 tests: Dict[str, Dict[str, Any]], verdict: str, reason: str,
                 warnings: List[str] = ...) -> None: ...
    def p_value(self, test: str) -> float: ...
    def to_dict(self) -> Dict[str, Any]: ...

class Comparison:
    columns: List[ColumnComparison]
    options: Dict[str, Any]
    def __init__(self, columns: List[ColumnComparison],
                 options: Dict[str, Any] = ...) -> None: ...
    def __getitem__(self, name: str) -> ColumnComparison: ...
    def __iter__(self) -> Iterator[ColumnComparison]: ...
    def __len__(self) -> int: ...
    def to_frame(self) -> Any: ...  # a pandas DataFrame
    def to_dict(self) -> Dict[str, Any]: ...
    def _repr_html_(self) -> Optional[str]: ...
    def to_html(self, title: Optional[str] = ...,
                reference_name: str = ...,
                current_name: str = ...) -> str: ...

def compare(reference: Any, current: Any, *, columns: _Names = ...,
            numeric: _Names = ..., categorical: _Names = ...,
            bins: _Bins = ..., smoothing: float = ...,
            permutations: int = ..., bootstrap: int = ...,
            confidence: float = ..., seed: int = ..., alpha: float = ...,
            js_possible: float = ..., js_drift: float = ...,
            threads: Optional[int] = ...) -> Comparison: ...
