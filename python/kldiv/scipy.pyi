from typing import Any, Optional, Union

import numpy as np
import numpy.typing as npt

_Out = Union[np.floating[Any], npt.NDArray[np.floating[Any]]]

def rel_entr(x: npt.ArrayLike, y: npt.ArrayLike, /,
             out: Optional[npt.NDArray[Any]] = ...) -> _Out: ...
def kl_div(x: npt.ArrayLike, y: npt.ArrayLike, /,
           out: Optional[npt.NDArray[Any]] = ...) -> _Out: ...
def entropy(pk: npt.ArrayLike, qk: Optional[npt.ArrayLike] = ...,
            base: Optional[float] = ..., axis: int = ...) -> _Out: ...
def jensenshannon(p: npt.ArrayLike, q: npt.ArrayLike, base: Optional[float] = ..., *,
                  axis: int = ..., keepdims: bool = ...) -> _Out: ...
