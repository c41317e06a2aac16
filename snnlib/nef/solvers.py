"""Decoders by regularised least squares: nengo.solvers.LstsqL2 with its Cholesky solver.

Given the activities A (m sample points x n neurons, Hz) and targets Y (m x d), LstsqL2 finds the decoders D
(n x d) minimising |A D - Y|^2 + m sigma^2 |D|^2 with sigma = reg * max(A): the regularisation is a fraction
`reg` (default 0.1) of the largest rate, standing for the spike noise the decoders must not amplify.
The normal equations (A^T A + m sigma^2 I) D = A^T Y are solved by Cholesky (nengo/solvers.py: LstsqL2;
nengo/utils/least_squares_solvers.py: Cholesky, which solves the m x m system instead when m < n).
"""

import numpy as np

from snnlib import _validate as check

__all__ = ["LstsqL2"]


class LstsqL2:
    """Least squares with L2 regularisation sigma = reg * A.max() (Nengo's `LstsqL2`).

    Parameters
    ----------
    reg : float
        Regularisation as a fraction of the largest activity, >= 0 (Nengo's default 0.1).
    """

    def __init__(self, reg=0.1):
        self.reg = check.nonnegative("reg", reg)

    def __call__(self, A, Y):
        """Decoders D (n_neurons, d) and info {"rmses": RMS error per target dimension at the points}."""
        import scipy.linalg

        A = check.finite_array("A", A)
        Y = check.finite_array("Y", Y)
        if A.ndim != 2:
            raise ValueError(f"A must be 2-D (sample points x neurons), got shape {A.shape}")
        vector = Y.ndim == 1
        Y = Y[:, None] if vector else Y
        if Y.ndim != 2 or Y.shape[0] != A.shape[0]:
            raise ValueError(f"Y must have one row per sample point ({A.shape[0]}), got shape {Y.shape}")
        if not np.any(A):
            raise ValueError("A is all zero: no sample point falls in the firing range of any neuron")
        m, n = A.shape
        sigma = self.reg * A.max()
        transpose = m < n                      # Nengo's Cholesky: solve the smaller system
        G = A @ A.T if transpose else A.T @ A
        b = Y if transpose else A.T @ Y
        G[np.diag_indices_from(G)] += m * sigma ** 2
        X = scipy.linalg.cho_solve(scipy.linalg.cho_factor(G, overwrite_a=True), b)
        D = A.T @ X if transpose else X
        rmses = np.sqrt(np.mean((Y - A @ D) ** 2, axis=0))
        return (D[:, 0] if vector else D), {"rmses": rmses}

    def __repr__(self):
        return f"LstsqL2(reg={self.reg!r})"
