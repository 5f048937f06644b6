from typing import Any, Callable, Literal, Optional, Sequence, Tuple, Union

import numpy as np
import numpy.typing as npt

__version__: str

_Base = Union[None, float, Literal["e", "nats", "bits", "hartleys"]]
_Smoothing = Union[None, str, Tuple[str, float]]
_Result = Union[float, npt.NDArray[np.float64]]

def kl(p: npt.ArrayLike, q: npt.ArrayLike, *, axis: int = ..., keepdims: bool = ...,
       base: _Base = ..., normalize: bool = ..., counts: bool = ...,
       smoothing: _Smoothing = ..., tolerance: Optional[float] = ...,
       validate: bool = ..., threads: Optional[int] = ...) -> _Result: ...
def generalized_kl(p: npt.ArrayLike, q: npt.ArrayLike, *, axis: int = ...,
                   keepdims: bool = ..., base: _Base = ..., normalize: bool = ...,
                   counts: bool = ..., smoothing: _Smoothing = ...,
                   tolerance: Optional[float] = ..., validate: bool = ..., threads: Optional[int] = ...) -> _Result: ...
def entropy(p: npt.ArrayLike, *, axis: int = ..., keepdims: bool = ...,
            base: _Base = ..., normalize: bool = ..., counts: bool = ...,
            smoothing: _Smoothing = ..., tolerance: Optional[float] = ...,
            validate: bool = ..., threads: Optional[int] = ...) -> _Result: ...
def cross_entropy(p: npt.ArrayLike, q: npt.ArrayLike, *, axis: int = ...,
                  keepdims: bool = ..., base: _Base = ..., normalize: bool = ...,
                  counts: bool = ..., smoothing: _Smoothing = ...,
                  tolerance: Optional[float] = ..., validate: bool = ..., threads: Optional[int] = ...) -> _Result: ...
def jeffreys(p: npt.ArrayLike, q: npt.ArrayLike, *, axis: int = ...,
             keepdims: bool = ..., base: _Base = ..., normalize: bool = ...,
             counts: bool = ..., smoothing: _Smoothing = ...,
             tolerance: Optional[float] = ..., validate: bool = ..., threads: Optional[int] = ...) -> _Result: ...
def js_divergence(p: npt.ArrayLike, q: npt.ArrayLike, *,
                  weights: Tuple[float, float] = ..., axis: int = ...,
                  keepdims: bool = ..., base: _Base = ..., normalize: bool = ...,
                  counts: bool = ..., smoothing: _Smoothing = ...,
                  tolerance: Optional[float] = ..., validate: bool = ..., threads: Optional[int] = ...) -> _Result: ...
def js_distance(p: npt.ArrayLike, q: npt.ArrayLike, *,
                weights: Tuple[float, float] = ..., axis: int = ...,
                keepdims: bool = ..., base: _Base = ..., normalize: bool = ...,
                counts: bool = ..., smoothing: _Smoothing = ...,
                tolerance: Optional[float] = ..., validate: bool = ..., threads: Optional[int] = ...) -> _Result: ...
def renyi(p: npt.ArrayLike, q: npt.ArrayLike, alpha: float, *, axis: int = ...,
          keepdims: bool = ..., base: _Base = ..., normalize: bool = ...,
          counts: bool = ..., smoothing: _Smoothing = ...,
          tolerance: Optional[float] = ..., validate: bool = ..., threads: Optional[int] = ...) -> _Result: ...
def hellinger(p: npt.ArrayLike, q: npt.ArrayLike, *, axis: int = ...,
              keepdims: bool = ..., normalize: bool = ..., counts: bool = ...,
              smoothing: _Smoothing = ..., tolerance: Optional[float] = ...,
              validate: bool = ..., threads: Optional[int] = ...) -> _Result: ...
def bhattacharyya_coefficient(p: npt.ArrayLike, q: npt.ArrayLike, *, axis: int = ...,
                              keepdims: bool = ..., normalize: bool = ...,
                              counts: bool = ..., smoothing: _Smoothing = ...,
                              tolerance: Optional[float] = ...,
                              validate: bool = ..., threads: Optional[int] = ...) -> _Result: ...
def bhattacharyya_distance(p: npt.ArrayLike, q: npt.ArrayLike, *, axis: int = ...,
                           keepdims: bool = ..., base: _Base = ...,
                           normalize: bool = ..., counts: bool = ...,
                           smoothing: _Smoothing = ...,
                           tolerance: Optional[float] = ...,
                           validate: bool = ..., threads: Optional[int] = ...) -> _Result: ...
def total_variation(p: npt.ArrayLike, q: npt.ArrayLike, *, axis: int = ...,
                    keepdims: bool = ..., normalize: bool = ..., counts: bool = ...,
                    smoothing: _Smoothing = ..., tolerance: Optional[float] = ...,
                    validate: bool = ..., threads: Optional[int] = ...) -> _Result: ...
def chi2_pearson(p: npt.ArrayLike, q: npt.ArrayLike, *, axis: int = ...,
                 keepdims: bool = ..., normalize: bool = ..., counts: bool = ...,
                 smoothing: _Smoothing = ..., tolerance: Optional[float] = ...,
                 validate: bool = ..., threads: Optional[int] = ...) -> _Result: ...
def chi2_neyman(p: npt.ArrayLike, q: npt.ArrayLike, *, axis: int = ...,
                keepdims: bool = ..., normalize: bool = ..., counts: bool = ...,
                smoothing: _Smoothing = ..., tolerance: Optional[float] = ...,
                validate: bool = ..., threads: Optional[int] = ...) -> _Result: ...
def f_divergence(p: npt.ArrayLike, q: npt.ArrayLike, f: Callable[[float], float], *,
                 slope_at_infinity: float = ..., axis: int = ..., keepdims: bool = ...,
                 normalize: bool = ..., counts: bool = ..., smoothing: _Smoothing = ...,
                 tolerance: Optional[float] = ..., validate: bool = ..., threads: Optional[int] = ...) -> _Result: ...
def rel_entr(p: npt.ArrayLike, q: npt.ArrayLike, *, axis: int = ..., base: _Base = ...,
             normalize: bool = ..., counts: bool = ..., smoothing: _Smoothing = ...,
             tolerance: Optional[float] = ...,
             validate: bool = ..., threads: Optional[int] = ...) -> npt.NDArray[np.floating[Any]]: ...
def evaluate(measure: str, p: npt.ArrayLike, q: Optional[npt.ArrayLike] = ..., *,
             alpha: float = ..., weights: Tuple[float, float] = ..., axis: int = ...,
             keepdims: bool = ..., base: _Base = ..., normalize: bool = ...,
             counts: bool = ..., smoothing: _Smoothing = ...,
             tolerance: Optional[float] = ..., validate: bool = ..., threads: Optional[int] = ...) -> _Result: ...
def measures() -> list[str]: ...
def summarize(p: npt.ArrayLike, q: npt.ArrayLike, *, base: _Base = ...,
              normalize: bool = ..., counts: bool = ..., smoothing: _Smoothing = ...,
              tolerance: Optional[float] = ..., validate: bool = ..., threads: Optional[int] = ...) -> dict[str, Any]: ...
def read_table(path: str) -> Tuple[npt.NDArray[np.float64], list[str]]: ...
def simd_target() -> str: ...
def simd_targets() -> list[str]: ...
def limit_simd_target(name: str) -> None: ...


# ---- divergences from logits ----

def kl_from_logits(a: npt.ArrayLike, b: npt.ArrayLike, *, temperature: float = ...,
                   scale_by_t_squared: bool = ..., reduction: str = ...,
                   mask: Optional[npt.ArrayLike] = ..., base: Any = ...,
                   log_probs: bool = ..., tolerance: Optional[float] = ...,
                   threads: Optional[int] = ..., return_grad: bool = ...) -> Any: ...
def reverse_kl_from_logits(a: npt.ArrayLike, b: npt.ArrayLike, *,
                           temperature: float = ...,
                           scale_by_t_squared: bool = ...,
                           reduction: str = ...,
                           mask: Optional[npt.ArrayLike] = ..., base: Any = ...,
                           log_probs: bool = ...,
                           tolerance: Optional[float] = ...,
                           threads: Optional[int] = ...,
                           return_grad: bool = ...) -> Any: ...
def generalized_jsd_from_logits(a: npt.ArrayLike, b: npt.ArrayLike, *,
                                beta: float = ..., temperature: float = ...,
                                scale_by_t_squared: bool = ...,
                                reduction: str = ...,
                                mask: Optional[npt.ArrayLike] = ...,
                                base: Any = ..., log_probs: bool = ...,
                                tolerance: Optional[float] = ...,
                                threads: Optional[int] = ...,
                                return_grad: bool = ...) -> Any: ...
def cross_entropy_from_logits(logits: npt.ArrayLike, labels: npt.ArrayLike, *,
                              ignore_index: Optional[int] = ...,
                              temperature: float = ...,
                              scale_by_t_squared: bool = ...,
                              reduction: str = ...,
                              mask: Optional[npt.ArrayLike] = ..., base: Any = ...,
                              log_probs: bool = ...,
                              tolerance: Optional[float] = ...,
                              threads: Optional[int] = ...,
                              return_grad: bool = ...) -> Any: ...

# ---- Gaussians, batched ----

def kl_normal(loc_p: npt.ArrayLike, scale_p: npt.ArrayLike,
              loc_q: npt.ArrayLike, scale_q: npt.ArrayLike, *,
              threads: Optional[int] = ...) -> Any: ...
def vae_kl(mu: npt.ArrayLike, logvar: npt.ArrayLike, *,
           return_grad: bool = ..., threads: Optional[int] = ...) -> Any: ...

from .distributions import (
    Bernoulli as Bernoulli, Beta as Beta, Binomial as Binomial,
    Categorical as Categorical, Cauchy as Cauchy, Chi2 as Chi2,
    Dirichlet as Dirichlet, Distribution as Distribution,
    Exponential as Exponential, Gamma as Gamma, Geometric as Geometric,
    Gumbel as Gumbel, HalfNormal as HalfNormal, Laplace as Laplace,
    LogNormal as LogNormal, MultivariateNormal as MultivariateNormal,
    Normal as Normal, gaussian_divergence as gaussian_divergence, Pareto as Pareto,
    Poisson as Poisson, StudentT as StudentT, Uniform as Uniform,
    VonMises as VonMises, Weibull as Weibull, kl_divergence as kl_divergence,
    GaussianMixture as GaussianMixture,
    js_divergence_mixture as js_divergence_mixture)
from .estimators import (
    SampleEstimate as SampleEstimate, entropy_knn as entropy_knn,
    kl_knn as kl_knn, CategoricalEstimate as CategoricalEstimate,
    HistogramEstimate as HistogramEstimate, bin_edges as bin_edges,
    kl_1d as kl_1d, kl_categorical as kl_categorical,
    kl_histogram as kl_histogram,
    mutual_information_ksg as mutual_information_ksg)
from .fitting import (
    FitResult as FitResult, FittedModel as FittedModel, fit as fit)
from .comparing import (
    ColumnComparison as ColumnComparison, Comparison as Comparison,
    compare as compare)
