"""How a connection's synapses are specified, without drawing or copying them before the build.

- `DenseWeights`: every (post, pre) pair is a synapse, zeros included; a matrix (post.n, pre.n) held as the
  user gave it, or one number for all (nothing allocated).
- `SparseWeights`: a scipy.sparse CSR matrix; its stored entries are the synapses.
- `RandomWeights`: each pair present with probability p, one weight for all, seeded by the network seed and
  the connection's position. Up to `memory.LEGACY_DRAW_PAIRS` pairs the draw is numpy's (`random_csr`, the
  draw every lesson and test was made with); above it the builder draws in compiled code straight into the
  kernel's layout (`snnlib.sim.wiring`: per presynaptic neuron, geometric gaps between targets from the
  counter-based generator of `snnlib.sim.rng`). Both give every pair independently with probability p; they
  differ only in which realisation a seed gives.

`spec.csr()` gives the (post.n, pre.n) CSR matrix on demand (a new one each call); the builder reads the
specification directly so a large network never holds its connectivity twice.
"""

import numpy as np

#: stream numbers of the compiled draw: RANDOM_STREAM + position of the connection in the network
RANDOM_STREAM = 200000


class DenseWeights:
    kind = "dense"
    dense = True

    def __init__(self, weights, shape):
        self.value = weights            # float, or ndarray of `shape`
        self.shape = shape
        self.nnz = shape[0] * shape[1]

    @property
    def is_scalar(self):
        return not isinstance(self.value, np.ndarray)

    def matrix(self):
        """The (post.n, pre.n) array (allocated for a scalar weight)."""
        return np.full(self.shape, self.value) if self.is_scalar else self.value

    def description_bytes(self):
        return 0 if self.is_scalar else self.value.nbytes

    def csr(self):
        import scipy.sparse as sparse

        W = self.matrix()
        n_post, n_pre = W.shape
        indptr = np.arange(0, n_post * n_pre + 1, n_pre, dtype=np.int64)
        indices = np.tile(np.arange(n_pre, dtype=np.int64), n_post)
        return sparse.csr_matrix((W.ravel().astype(float), indices, indptr), shape=W.shape)

    def values(self):
        return np.asarray(self.value, dtype=float).ravel()


class SparseWeights:
    kind = "sparse"
    dense = False

    def __init__(self, W):
        self.W = W
        self.nnz = int(W.nnz)

    def description_bytes(self):
        return self.W.data.nbytes + self.W.indices.nbytes + self.W.indptr.nbytes

    def csr(self):
        return self.W.copy()

    def values(self):
        return self.W.data


class RandomWeights:
    kind = "random"
    dense = False

    def __init__(self, n_pre, n_post, p, weight, seed, position, allow_self):
        self.n_pre, self.n_post = n_pre, n_post
        self.p, self.weight = p, weight
        self.seed, self.position = seed, position
        self.allow_self = allow_self
        self.nnz = None                 # known once drawn or counted

    @property
    def legacy(self):
        from snnlib.sim.memory import LEGACY_DRAW_PAIRS

        return self.n_pre * self.n_post <= LEGACY_DRAW_PAIRS

    @property
    def stream(self):
        return RANDOM_STREAM + self.position

    def description_bytes(self):
        return 0

    def values(self):
        return np.array([self.weight])

    def legacy_csr(self):
        rng = np.random.default_rng([self.seed, 7919, self.position])
        W = random_csr(self.n_pre, self.n_post, self.p, self.weight, rng, self.allow_self)
        self.nnz = int(W.nnz)
        return W

    def count(self):
        """Number of synapses (draws them, or counts the compiled draw, once)."""
        if self.nnz is None:
            if self.legacy:
                self.legacy_csr()
            else:
                from snnlib.sim import wiring

                counts = np.zeros(self.n_pre, np.int64)
                self.nnz = int(wiring.count_random(self, counts, 0))
        return self.nnz

    def csr(self):
        if self.legacy:
            return self.legacy_csr()
        import scipy.sparse as sparse

        from snnlib.sim import wiring

        ptr, post = wiring.draw_random_csr(self)       # per presynaptic neuron: ascending targets
        self.nnz = len(post)
        T = sparse.csr_matrix((np.full(len(post), self.weight), post, ptr), shape=(self.n_pre, self.n_post))
        W = T.T.tocsr()
        W.sort_indices()
        return W


def random_csr(n_pre, n_post, p, weight, rng, allow_self=True):
    """Sparse (n_post, n_pre) CSR matrix: each pair present with probability p, value `weight` (numpy's draw)."""
    import scipy.sparse as sparse

    total = n_pre * n_post
    k = rng.binomial(total, p)
    flat = np.sort(rng.choice(total, size=k, replace=False)) if k else np.zeros(0, dtype=np.int64)
    post, pre = np.divmod(flat, n_pre)
    if not allow_self:
        keep = post != pre
        post, pre = post[keep], pre[keep]
    W = sparse.csr_matrix((np.full(len(pre), weight), (post, pre)), shape=(n_post, n_pre))
    W.sort_indices()
    return W
