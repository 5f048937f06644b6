from typing import Any, Dict, List, Literal, Optional, Sequence, Tuple, Union

import numpy as np
import numpy.typing as npt

_Family = Literal["uniform", "binomial", "poisson", "geometric",
                  "negative_binomial", "normal", "lognormal", "exponential",
                  "gamma", "weibull", "beta"]
_Kind = Literal["auto", "discrete", "continuous"]
_KlMethod = Literal["auto", "knn", "histogram"]
_Bins = Union[Literal["auto", "fd", "scott", "sturges", "doane", "rice", "sqrt",
                      "quantiles"],
              int, Tuple[Literal["quantiles"], int], npt.ArrayLike]

FAMILIES: Tuple[str, ...]

class FittedModel:
    family: str
    fitted: bool
    reason: str
    parameters: Dict[str, float]
    log_likelihood: float
    k: int
    aic: float
    bic: float
    kl: float
    kl_method: str
    def __init__(self, family: str, fitted: bool, reason: str,
                 parameters: Dict[str, float], log_likelihood: float, k: int,
                 aic: float, bic: float, kl: float, kl_method: str) -> None: ...
    def to_dict(self) -> Dict[str, Any]: ...

class FitResult:
    models: List[FittedModel]
    discrete: bool
    n: int
    entropy: float
    kl_estimator: str
    warnings: List[str]
    kl_edges: npt.NDArray[np.float64]
    def __init__(self, models: List[FittedModel], discrete: bool, n: int,
                 entropy: float, kl_estimator: str,
                 warnings: List[str] = ...,
                 kl_edges: npt.NDArray[np.float64] = ...) -> None: ...
    @property
    def best(self) -> Optional[FittedModel]: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def _repr_html_(self) -> Optional[str]: ...
    def to_html(self, title: Optional[str] = ...,
                data_name: str = ...) -> str: ...

def fit(data: npt.ArrayLike, *, counts: Optional[npt.ArrayLike] = ...,
        families: Union[None, _Family, Sequence[_Family]] = ...,
        kind: _Kind = ..., binomial_n: Optional[int] = ...,
        kl: _KlMethod = ..., bins: _Bins = ...,
        align_to_grid: bool = ...) -> FitResult: ...
